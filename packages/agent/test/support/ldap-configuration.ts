import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { yamlSettings } from './yaml-settings.ts';

export interface LdapConfigurationOptions {
  readonly ldapUrl: string;
  readonly bindDn: string;
  /** Name of the environment variable holding the bind password, on the agent's side. */
  readonly passwordVariable: string;
  readonly peopleDn: string;
  readonly groupsDn: string;
  /** The agent serving the directory (`local` = the embedded one). */
  readonly directoryAgent: string;
  /** HR connection kind and settings (a CSV file, or a connector no agent runs when people are imported). */
  readonly hr: {
    readonly kind: string;
    readonly agent: string;
    readonly settings: Record<string, string | number | boolean>;
  };
  readonly ldapTimeoutMs?: number;
}

/**
 * People get an LDAP account (inetOrgPerson under the people container) and membership of the
 * staff group. Thresholds are off: reliability tests and benchmarks load thousands at once.
 */
export function writeLdapConfiguration(options: LdapConfigurationOptions): string {
  const folder = mkdtempSync(join(tmpdir(), 'ordo-ldap-config-'));
  const off = '{ maxInsertPercent: 0, maxUpdatePercent: 0, maxDeletePercent: 0 }';
  writeFileSync(
    join(folder, 'ordo.yaml'),
    `entityTypes:
  Person:
    key: employeeId
    context: { start: contractStart, end: contractEnd }
    properties:
      employeeId: string
      firstName: string
      lastName: string
      title: string
      contractStart: date
      contractEnd: date
  LdapAccount:
    key: dn
    properties:
      dn: string
      uid: string
      cn: string
      sn: string
      givenName: string
      mail: string
      title: string
      employeeNumber: string
      memberOf: { target: LdapGroup, multiValued: true }
  LdapGroup:
    key: dn
    properties:
      dn: string
      cn: string

connectors:
  HR:
    agent: ${options.hr.agent}
    entityTypes: [Person]
    syncThresholds: { maxInsertedPercent: 0, maxUpdatedPercent: 0, maxDeletedPercent: 0 }
    connections:
      HrSource:
        kind: ${options.hr.kind}
        disabled: fulfil
        settings:
${yamlSettings(options.hr.settings)}
  Directory:
    agent: ${options.directoryAgent}
    entityTypes: [LdapAccount, LdapGroup]
    syncThresholds: { maxInsertedPercent: 0, maxUpdatedPercent: 0, maxDeletedPercent: 0 }
    connections:
      DirectoryLdap:
        kind: ldap
        settings:
          url: ${JSON.stringify(options.ldapUrl)}
          bindDn: ${JSON.stringify(options.bindDn)}
          bindPassword: env:${options.passwordVariable}
          timeoutMs: ${options.ldapTimeoutMs ?? 10_000}
          LdapAccount.role: account
          LdapAccount.container: ${JSON.stringify(options.peopleDn)}
          LdapAccount.membership: memberOf
          LdapGroup.role: group
          LdapGroup.container: ${JSON.stringify(options.groupsDn)}

singleRoles:
  Staff:
    entityType: Person
    rules:
      - when: identity.contractStart != null

resourceTypes:
  LdapAccount:
    connector: Directory
    source: Person
    target: LdapAccount
    fulfil: { connection: DirectoryLdap }
    approval: not_requestable
    allowRemove: true
    thresholds: ${off}
    types:
      - when: identity.contractStart != null
    scalars:
      - property: dn
        expression: '"uid=" + lower(identity.firstName + "." + identity.lastName) + ",${options.peopleDn}"'
      - property: uid
        expression: lower(identity.firstName + "." + identity.lastName)
      - property: cn
        expression: identity.firstName + " " + identity.lastName
      - property: sn
        expression: identity.lastName
      - property: givenName
        expression: identity.firstName
      - property: mail
        expression: lower(identity.firstName + "." + identity.lastName) + "@example.org"
        comparison: ignore_case
      - property: title
        expression: coalesce(identity.title, "Employee")
      - property: employeeNumber
        expression: identity.employeeId
    navigations:
      - property: memberOf
        value: ${JSON.stringify(`cn=staff,${options.groupsDn}`)}
        role: Staff
    correlations:
      - source: identity.employeeId
        target: resource.employeeNumber
        confidence: 120
`,
  );
  return folder;
}

/** HR records as `ordo import` takes them: one person per index. */
export function personRecords(count: number, offset = 0) {
  return Array.from({ length: count }, (_, n) => {
    const i = n + offset;
    const employeeId = `E${String(i).padStart(6, '0')}`;
    return {
      entityType: 'Person',
      key: employeeId,
      values: {
        employeeId,
        firstName: `Person${i}`,
        lastName: 'Test',
        title: null,
        contractStart: '2020-01-01',
        contractEnd: null,
      },
    };
  });
}
