import type { EntityType, ScalarType } from '@ordo/core';
import type { Connector } from '../../src/connector.ts';
import { createLdapConnector } from '../../src/ldap/ldap-connector.ts';
import type { Slapd } from '../support/slapd.ts';

const scalar = (name: string, type: ScalarType = 'string') => ({ kind: 'scalar' as const, name, type });
const navigation = (name: string, target: string) => ({ kind: 'navigation' as const, name, target, multiValued: true });
const noContext = { start: null, end: null };

/** Accounts with memberships in three kinds of groups (groupOfNames, groupOfUniqueNames, posixGroup). */
export const entityTypes: Record<string, EntityType> = {
  LdapAccount: {
    id: 'LdapAccount',
    displayName: 'LDAP account',
    key: 'dn',
    properties: {
      dn: scalar('dn'),
      uid: scalar('uid'),
      cn: scalar('cn'),
      sn: scalar('sn'),
      mail: scalar('mail'),
      title: scalar('title'),
      employeeNumber: scalar('employeeNumber', 'int'),
      enabled: scalar('enabled', 'bool'),
      password: scalar('password'),
      groups: navigation('groups', 'LdapGroup'),
      auditGroups: navigation('auditGroups', 'LdapUniqueGroup'),
      posixGroups: navigation('posixGroups', 'LdapPosixGroup'),
      manager: navigation('manager', 'LdapAccount'),
    },
    context: noContext,
  },
  LdapGroup: {
    id: 'LdapGroup',
    displayName: 'LDAP group',
    key: 'dn',
    properties: { dn: scalar('dn'), cn: scalar('cn'), description: scalar('description') },
    context: noContext,
  },
  LdapUniqueGroup: {
    id: 'LdapUniqueGroup',
    displayName: 'LDAP unique-member group',
    key: 'dn',
    properties: { dn: scalar('dn'), cn: scalar('cn'), members: navigation('members', 'LdapAccount') },
    context: noContext,
  },
  LdapPosixGroup: {
    id: 'LdapPosixGroup',
    displayName: 'LDAP posix group',
    key: 'dn',
    properties: {
      dn: scalar('dn'),
      cn: scalar('cn'),
      gidNumber: scalar('gidNumber', 'int'),
      members: navigation('members', 'LdapAccount'),
    },
    context: noContext,
  },
};

/** Settings for the test model on a fixture server; `extra` overrides or adds. */
export function ldapSettings(
  slapd: Slapd,
  extra: Record<string, string | number | boolean | null> = {},
): Record<string, string | number | boolean | null> {
  return {
    url: slapd.url,
    bindDn: slapd.adminDn,
    bindPassword: slapd.adminPassword,
    timeoutMs: 5_000,
    connectTimeoutMs: 2_000,
    'LdapAccount.container': slapd.peopleDn,
    'LdapAccount.enabledAttribute': 'employeeType',
    'LdapAccount.enabledValue': 'active',
    'LdapAccount.disabledValue': 'disabled',
    'LdapAccount.passwordProperty': 'password',
    'LdapGroup.container': slapd.groupsDn,
    'LdapUniqueGroup.container': slapd.groupsDn,
    'LdapUniqueGroup.objectClasses': 'groupOfUniqueNames',
    'LdapPosixGroup.container': slapd.groupsDn,
    'LdapPosixGroup.objectClasses': 'posixGroup',
    ...extra,
  };
}

export function ldapConnector(slapd: Slapd, extra: Record<string, string | number | boolean | null> = {}): Connector {
  return createLdapConnector({ connectionId: 'Ldap', settings: ldapSettings(slapd, extra), entityTypes });
}
