import type { EntityType } from '@ordo/core';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/connector-error.ts';
import { parseScimSettings } from '../../src/scim/scim-settings.ts';
import { entityTypes } from './scim-test-setup.ts';

const base = { baseUrl: 'https://scim.example.org/scim/v2/', token: 'secret-token-value' };
const parse = (settings: Record<string, string | number | boolean | null>, types = entityTypes) =>
  parseScimSettings({ connectionId: 'Acme', settings, entityTypes: types });
const refusal = (settings: Record<string, string | number | boolean | null>, types = entityTypes) => {
  try {
    parse(settings, types);
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'configuration', applied: 'no', retryable: false });
    const message = (error as Error).message;
    expect(message).toContain('SCIM connection Acme');
    expect(message).not.toContain('secret-token-value');
    return message;
  }
  throw new Error('expected a configuration error');
};

describe('SCIM settings', () => {
  it('resolves defaults, the resource from the key, and the membership navigation', () => {
    const settings = parse(base);
    expect(settings).toMatchObject({ baseUrl: 'https://scim.example.org/scim/v2', timeoutMs: 30_000, pageSize: 100 });
    expect(settings.incrementalExport).toBe(false);
    const user = settings.entityTypes.ScimUser;
    expect(user).toMatchObject({ resource: 'User', endpoint: '/Users', keyAttribute: 'userName' });
    expect(user?.membership).toEqual({ property: 'groups', groupType: 'ScimGroup' });
    expect(user?.properties.email?.path.text).toBe('emails[primary eq true].value');
    expect(user?.properties['name.givenName']?.path).toMatchObject({ attribute: 'name', subAttribute: 'givenName' });
    expect(settings.entityTypes.ScimGroup).toMatchObject({ resource: 'Group', endpoint: '/Groups', membership: null });
  });

  it('accepts numbers and booleans written as text, and attribute overrides with filters and URNs', () => {
    const settings = parse({
      ...base,
      pageSize: '50',
      incrementalExport: 'true',
      'ScimUser.attributes':
        'email=emails[type eq "work, home"].value, title=urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
    });
    expect(settings.pageSize).toBe(50);
    expect(settings.incrementalExport).toBe(true);
    const user = settings.entityTypes.ScimUser;
    expect(user?.properties.email?.path.filter).toEqual([{ attribute: 'type', value: 'work, home' }]);
    expect(user?.properties.email?.template).toEqual({});
    expect(user?.properties.title?.path).toMatchObject({
      schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      attribute: 'department',
    });
  });

  it('names the setting and the problem', () => {
    expect(refusal({ token: 't' })).toMatch(/"baseUrl" is required/);
    expect(refusal({ baseUrl: 'ftp://x', token: 't' })).toMatch(/"baseUrl" must be an http or https URL/);
    expect(refusal({ baseUrl: base.baseUrl })).toMatch(/"token" is required/);
    expect(refusal({ ...base, pageSize: 0 })).toMatch(/"pageSize" must be an integer from 1/);
    expect(refusal({ ...base, timeoutMs: 'soon' })).toMatch(/"timeoutMs" must be an integer/);
    expect(refusal({ ...base, pagesize: 10 })).toMatch(/"pagesize" is unknown/);
    expect(refusal({ ...base, 'Nobody.resource': 'User' })).toMatch(/entity type "Nobody"/);
    expect(refusal({ ...base, 'ScimUser.colour': 'red' })).toMatch(/"ScimUser.colour" is unknown/);
    expect(refusal({ ...base, 'ScimUser.attributes': 'email' })).toMatch(/"email", which is not property=scimPath/);
    expect(refusal({ ...base, 'ScimUser.attributes': 'groups=members' })).toMatch(/not a scalar property/);
    expect(refusal({ ...base, 'ScimUser.attributes': 'title=emails[type gt "a"].value' })).toMatch(
      /only "sub eq value"/,
    );
    expect(refusal({ ...base, 'ScimUser.attributes': 'userName=externalId' })).toMatch(
      /"ScimUser.resource" is required/,
    );
    expect(refusal({ ...base, 'ScimUser.resource': 'User', 'ScimUser.attributes': 'userName=externalId' })).toMatch(
      /key property "userName" to userName/,
    );
    expect(refusal({ ...base, 'ScimUser.resource': 'Group' })).toMatch(/key property "userName" to displayName/);
    expect(refusal({ ...base, 'ScimUser.resource': 'Device' })).toMatch(/must be User or Group/);
    expect(refusal({ ...base, 'ScimUser.membership': 'title' })).toMatch(/must name a navigation property/);
    expect(refusal({ ...base, 'ScimGroup.membership': 'x' })).toMatch(/applies to User types only/);
  });

  it('keeps credentials out of the base URL and out of messages', () => {
    const message = refusal({ baseUrl: 'https://admin:hunter2@scim.example.org/v2', token: 't' });
    expect(message).toMatch(/must not contain credentials/);
    expect(message).not.toContain('hunter2');
  });

  it('refuses navigations a SCIM resource cannot hold', () => {
    const types: Record<string, EntityType> = {
      ...entityTypes,
      ScimGroup: {
        ...(entityTypes.ScimGroup as EntityType),
        properties: {
          ...(entityTypes.ScimGroup as EntityType).properties,
          owners: { kind: 'navigation', name: 'owners', target: 'ScimUser', multiValued: true },
        },
      },
    };
    expect(refusal(base, types)).toMatch(/navigation "owners" is not supported/);
    const manager: Record<string, EntityType> = {
      ...entityTypes,
      ScimUser: {
        ...(entityTypes.ScimUser as EntityType),
        properties: {
          ...(entityTypes.ScimUser as EntityType).properties,
          manager: { kind: 'navigation', name: 'manager', target: 'ScimUser', multiValued: false },
        },
      },
    };
    expect(refusal(base, manager)).toMatch(/does not cover navigation "manager"/);
  });
});
