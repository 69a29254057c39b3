import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/connector-error.ts';
import { createLdapConnector } from '../../src/ldap/ldap-connector.ts';
import { entityTypes } from './ldap-test-model.ts';

const valid = {
  url: 'ldap://127.0.0.1:1/',
  bindDn: 'cn=admin,dc=example,dc=org',
  bindPassword: 'top-secret-value',
  'LdapAccount.container': 'ou=people,dc=example,dc=org',
  'LdapGroup.container': 'ou=groups,dc=example,dc=org',
  'LdapUniqueGroup.container': 'ou=groups,dc=example,dc=org',
  'LdapUniqueGroup.objectClasses': 'groupOfUniqueNames',
  'LdapPosixGroup.container': 'ou=groups,dc=example,dc=org',
  'LdapPosixGroup.objectClasses': 'posixGroup',
};

function refusal(settings: Record<string, string | number | boolean | null>): ConnectorError {
  try {
    createLdapConnector({ connectionId: 'Directory', settings, entityTypes });
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('the settings were accepted');
}

describe('LDAP connector settings', () => {
  it('accepts a complete configuration without contacting the server', async () => {
    const c = createLdapConnector({ connectionId: 'Directory', settings: valid, entityTypes });
    expect(c.capabilities).toEqual({
      entityTypes: ['LdapAccount', 'LdapGroup', 'LdapUniqueGroup', 'LdapPosixGroup'],
      completeExport: true,
      incrementalExport: true,
      fulfil: true,
      readBack: true,
    });
    await c.close();
  });

  it.each([
    [{ url: undefined }, 'url', 'is required'],
    [{ url: 'http://example.org/' }, 'url', 'ldap://'],
    [{ bindDn: 'admin' }, 'bindDn', 'is not a DN'],
    [{ bindPassword: undefined }, 'bindPassword', 'is required with bindDn'],
    [{ url: 'ldaps://127.0.0.1:1/', startTls: true }, 'startTls', 'ldaps://'],
    [{ startTls: 'yes' }, 'startTls', 'true or false'],
    [{ timeoutMs: -5 }, 'timeoutMs', 'whole number'],
    [{ poolSize: 0 }, 'poolSize', 'whole number'],
    [{ tlsCaFile: '/nonexistent/ca.pem' }, 'tlsCaFile', 'cannot be read (ENOENT)'],
    [{ timeout: 5 }, 'timeout', 'is not an LDAP setting'],
    [{ 'LdapAccount.contaner': 'ou=x' }, 'LdapAccount.contaner', 'is not an LDAP entity type setting'],
    [{ 'Person.container': 'ou=x' }, 'Person.container', 'does not serve'],
    [{ 'LdapAccount.container': undefined }, 'LdapAccount.container', 'is required'],
    [{ 'LdapAccount.container': 'people' }, 'LdapAccount.container', 'is not a DN'],
    [{ 'LdapAccount.role': 'user' }, 'LdapAccount.role', 'must be account or group'],
    [{ 'LdapAccount.filter': '(&(uid=x)' }, 'LdapAccount.filter', 'is not an LDAP filter'],
    [{ 'LdapAccount.rdn': 'u id' }, 'LdapAccount.rdn', 'is not an attribute name'],
    [{ 'LdapAccount.enabledAttribute': 'employeeType' }, 'LdapAccount.enabledValue', 'is required'],
    [{ 'LdapAccount.enabledValue': 'x' }, 'LdapAccount.enabledValue', 'needs LdapAccount.enabledAttribute'],
    [
      {
        'LdapAccount.enabledAttribute': 'employeeType',
        'LdapAccount.enabledValue': 'a',
        'LdapAccount.enabledProperty': 'uid',
      },
      'LdapAccount.enabledProperty',
      'not bool',
    ],
    [{ 'LdapAccount.passwordProperty': 'secret' }, 'LdapAccount.passwordProperty', 'not a scalar property'],
    [{ 'LdapAccount.membership': 'manager' }, 'LdapAccount.membership', 'to a group type'],
    [{ 'LdapAccount.memberAttribute': 'member' }, 'LdapAccount.memberAttribute', 'applies to groups'],
    [{ 'LdapGroup.emptyMember': 'nobody' }, 'LdapGroup.emptyMember', 'self, none or a DN'],
    [{ 'LdapGroup.enabledValue': true }, 'LdapGroup.enabledValue', 'must be a string (quoted)'],
  ])('refuses %j, naming %s', (change, setting, problem) => {
    const settings: Record<string, string | number | boolean | null> = { ...valid };
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) delete settings[key];
      else settings[key] = value;
    }
    const error = refusal(settings);
    expect(error).toMatchObject({ kind: 'configuration', applied: 'no', retryable: false });
    expect(error.message).toContain('connection Directory');
    expect(error.message).toContain(`"${setting}"`);
    expect(error.message).toContain(problem);
  });

  it('never echoes the password', () => {
    const error = refusal({ ...valid, bindPassword: 12345678 });
    expect(error.message).toContain('"bindPassword" must be a string');
    expect(error.message).not.toContain('12345678');
  });
});
