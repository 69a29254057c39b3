import { escapeFilterValue } from '../../src/ldap/escape-filter-value.ts';
import { describeConnectorContract } from '../contract/connector-contract.ts';
import { startSlapd } from '../support/slapd.ts';
import { ldapConnector } from './ldap-test-model.ts';
import { ldapsearch } from './ldapsearch.ts';

describeConnectorContract('ldap', async () => {
  const slapd = await startSlapd();
  const connector = ldapConnector(slapd);
  return {
    connector,
    accountType: 'LdapAccount',
    groupType: 'LdapGroup',
    membership: 'groups',
    groups: [slapd.groups.staff, slapd.groups.admins],
    newAccount: (name) => ({
      key: `uid=${name},${slapd.peopleDn}`,
      values: { uid: name, cn: `Test ${name}`, sn: 'Tester', mail: `${name}@example.org`, title: 'Engineer' },
    }),
    changeable: { property: 'mail', value: (name) => `changed.${name}@example.org` },
    clearable: 'title',
    independentRead: async (key) => {
      const [entry] = await ldapsearch(slapd, key, '(objectClass=*)', ['uid', 'cn', 'sn', 'mail', 'title'], 'base');
      if (!entry) return null;
      const groups = await ldapsearch(slapd, slapd.groupsDn, `(member=${escapeFilterValue(key)})`, ['1.1']);
      const values: Record<string, string | null> = {};
      for (const name of ['uid', 'cn', 'sn', 'mail', 'title']) values[name] = entry.attributes.get(name)?.[0] ?? null;
      return { values, groups: groups.map((g) => g.dn).sort() };
    },
    independentCount: async (name) =>
      (await ldapsearch(slapd, slapd.peopleDn, `(uid=${escapeFilterValue(name)}*)`, ['1.1'])).length,
    // No wait: the cookie is a CSN (microseconds and a counter), not a modifyTimestamp (seconds).
    incrementalGranularityMs: 0,
    close: async () => {
      await connector.close();
      await slapd.destroy();
    },
  };
});
