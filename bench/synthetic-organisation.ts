import type { Resource } from '@ordo/core';
import { stringify } from 'yaml';
import { type SeededRandom, seededRandom } from './seeded-random.ts';

/*
 * A synthetic organisation for the compute benchmark: 5 managed systems, 50 single roles (one
 * group membership each), 10 composite roles, and N people. The shape is chosen so that a person
 * gets about ten assignments (roles, resource types, navigations) plus the scalars of each account:
 * - composites C00..C06 go by department (7 of the 10 departments), C07..C09 by job title (3 of
 *   the 20 titles), so ~85% of people hold one composite and a few hold two;
 * - composite c infers single roles 5c..5c+4, spread over two systems;
 * - every employee gets a Directory account by a type rule; the other accounts are implied by the
 *   navigation rules of the roles held (DESIGN §2.9).
 */

export const SYSTEMS = [
  { name: 'Directory', kind: 'ldap', scalars: 5 },
  { name: 'Mail', kind: 'scim', scalars: 3 },
  { name: 'Erp', kind: 'sql', scalars: 4 },
  { name: 'Crm', kind: 'scim', scalars: 5 },
  { name: 'Wiki', kind: 'memory', scalars: 3 },
] as const;

export const DEPARTMENTS = [
  'Sales',
  'Engineering',
  'Finance',
  'HumanResources',
  'Legal',
  'Operations',
  'Marketing',
  'Support',
  'Research',
  'Logistics',
] as const;

export const JOB_TITLES = Array.from({ length: 20 }, (_, i) => `Title${String(i).padStart(2, '0')}`);

const SITES = ['Paris', 'Lyon', 'Nantes', 'Lille', 'Bordeaux'] as const;
const FIRST_NAMES = [
  'Alice',
  'Bruno',
  'Chloé',
  'David',
  'Émile',
  'Fanny',
  'Gaël',
  'Hélène',
  'Inès',
  'Jules',
  'Karim',
  'Léa',
  'Marc',
  'Nadia',
  'Olivier',
  'Pauline',
  'Quentin',
  'Rose',
  'Samir',
  'Théo',
  'Ursula',
  'Victor',
  'Wendy',
  'Xavier',
  'Yasmine',
  'Zoé',
  'Anaïs',
  'Benoît',
  'Camille',
  'Denis',
  'Elsa',
  'François',
  'Gabriel',
  'Hugo',
  'Irène',
  'Jeanne',
  'Lucas',
  'Manon',
  'Noé',
  'Océane',
];
// Three syllables of 24 give ~14,000 last names: enough distinct logins that unique() rarely
// needs more than a few suffixes, as in a real company.
const SYLLABLES = [
  'ber',
  'lan',
  'mo',
  'rou',
  'du',
  'vi',
  'nel',
  'gar',
  'tin',
  'fa',
  'bo',
  'chet',
  'mar',
  'lé',
  'pin',
  'sa',
  'ro',
  'gé',
  'lou',
  'ni',
  'quet',
  'da',
  'vel',
  'zo',
];

const SINGLE_ROLES = 50;
const COMPOSITE_ROLES = 10;
const DEPARTMENT_COMPOSITES = 7;
const ROLES_PER_COMPOSITE = SINGLE_ROLES / COMPOSITE_ROLES;
/** Groups nobody is given by a role: a directory also holds groups the role model ignores. */
const EXTRA_GROUPS_PER_SYSTEM = 10;

const pad2 = (n: number) => String(n).padStart(2, '0');
const compositeRoleId = (c: number) => `C${pad2(c)}`;
const singleRoleId = (s: number) => `G${pad2(s)}`;
const groupName = (system: string, n: number) => `${system.toLowerCase()}-group-${pad2(n)}`;

/** The system of single role s: the first three of a composite's roles in one system, two in the next. */
function systemOfSingleRole(s: number): number {
  const composite = Math.floor(s / ROLES_PER_COMPOSITE);
  const base = Math.floor(composite / 2);
  return (base + (s % ROLES_PER_COMPOSITE >= 3 ? 1 : 0)) % SYSTEMS.length;
}

/** The configuration folder: file name → YAML text. */
export function syntheticConfiguration(): Record<string, string> {
  const entityTypes: Record<string, unknown> = {
    Person: {
      displayName: 'Person',
      key: 'employeeId',
      context: { start: 'contractStart', end: 'contractEnd' },
      properties: {
        employeeId: 'string',
        firstName: 'string',
        lastName: 'string',
        department: 'string',
        jobTitle: 'string',
        site: 'string',
        contractStart: 'date',
        contractEnd: 'date',
      },
    },
  };
  const connectors: Record<string, unknown> = {
    Hr: {
      displayName: 'HR system',
      entityTypes: ['Person'],
      connections: { HrCsv: { kind: 'csv', disabled: 'fulfil', settings: { path: '/var/lib/ordo/hr.csv' } } },
    },
  };
  const resourceTypes: Record<string, unknown> = {};
  for (const [k, system] of SYSTEMS.entries()) {
    const account = `${system.name}Account`;
    const group = `${system.name}Group`;
    entityTypes[account] = {
      key: 'login',
      properties: {
        login: 'string',
        displayName: 'string',
        employeeNumber: 'string',
        mail: 'string',
        title: 'string',
        memberOf: { target: group, multiValued: true },
      },
    };
    entityTypes[group] = { key: 'name', properties: { name: 'string', description: 'string' } };
    connectors[system.name] = {
      entityTypes: [account, group],
      connections: { [`${system.name}Connection`]: { kind: system.kind, settings: { endpoint: `bench-${k}` } } },
    };
    const scalars = [
      {
        property: 'login',
        expression: 'unique(lower(substring(simplify(identity.firstName), 0, 1) + simplify(identity.lastName)))',
        mapped: false,
      },
      { property: 'employeeNumber', expression: 'identity.employeeId' },
      {
        property: 'displayName',
        expression: 'identity.firstName + " " + identity.lastName',
        comparison: 'ignore_case',
      },
      {
        property: 'mail',
        expression: 'lower(simplify(identity.firstName) + "." + simplify(identity.lastName)) + "@example.org"',
        comparison: 'ignore_case',
      },
      { property: 'title', expression: 'coalesce(identity.jobTitle, "Employee")' },
    ].slice(0, system.scalars);
    const navigations = [];
    for (let s = 0; s < SINGLE_ROLES; s++) {
      if (systemOfSingleRole(s) !== k) continue;
      navigations.push({
        id: `member-${singleRoleId(s)}`,
        property: 'memberOf',
        value: groupName(system.name, s),
        role: singleRoleId(s),
      });
    }
    resourceTypes[account] = {
      displayName: `${system.name} account`,
      connector: system.name,
      source: 'Person',
      target: account,
      fulfil: { connection: `${system.name}Connection` },
      ...(k === 0
        ? { types: [{ id: 'directory-account-for-employees', when: 'identity.contractStart != null' }] }
        : {}),
      scalars,
      navigations,
      correlations: [
        {
          id: `${system.name.toLowerCase()}-by-employee-number`,
          source: 'identity.employeeId',
          target: 'resource.employeeNumber',
          confidence: 120,
        },
      ],
    };
  }

  const compositeRoles: Record<string, unknown> = {};
  for (let c = 0; c < COMPOSITE_ROLES; c++) {
    const when =
      c < DEPARTMENT_COMPOSITES
        ? `identity.department == "${DEPARTMENTS[c]}"`
        : `identity.jobTitle == "${JOB_TITLES[c - DEPARTMENT_COMPOSITES]}"`;
    compositeRoles[compositeRoleId(c)] = { displayName: `Composite ${c}`, entityType: 'Person', rules: [{ when }] };
  }
  const singleRoles: Record<string, unknown> = {};
  for (let s = 0; s < SINGLE_ROLES; s++) {
    singleRoles[singleRoleId(s)] = {
      displayName: `Group ${s} in ${SYSTEMS[systemOfSingleRole(s)]?.name}`,
      entityType: 'Person',
      rules: [{ compositeRole: compositeRoleId(Math.floor(s / ROLES_PER_COMPOSITE)) }],
    };
  }

  const header = '# Synthetic organisation generated by bench/synthetic-organisation.ts\n';
  return {
    'entity-types.yaml': header + stringify({ entityTypes }),
    'connectors.yaml': header + stringify({ connectors }),
    'resource-types.yaml': header + stringify({ resourceTypes }),
    'roles.yaml': header + stringify({ compositeRoles, singleRoles }),
  };
}

/** The groups navigation rules point to (they must exist to resolve), and a few more. */
export function groupResources(): Resource[] {
  const groups: Resource[] = [];
  for (const [k, system] of SYSTEMS.entries()) {
    const numbers = new Set<number>();
    for (let s = 0; s < SINGLE_ROLES; s++) if (systemOfSingleRole(s) === k) numbers.add(s);
    for (let extra = 0; extra < EXTRA_GROUPS_PER_SYSTEM; extra++) numbers.add(SINGLE_ROLES + extra);
    for (const n of numbers) {
      const entityType = `${system.name}Group`;
      const name = groupName(system.name, n);
      groups.push({
        id: `${entityType}:${name}`,
        entityType,
        key: name,
        values: { name, description: `Group ${n} of ${system.name}` },
        links: {},
      });
    }
  }
  return groups;
}

export const personId = (index: number) => `Person:${employeeId(index)}`;
const employeeId = (index: number) => `E${String(index + 1).padStart(7, '0')}`;

/** Person number `index` (0-based); the same index always gives the same person. */
export function person(index: number): Resource {
  const random = seededRandom(0x5eed0000 + index);
  const lastName = capitalize(random.pick(SYLLABLES) + random.pick(SYLLABLES) + random.pick(SYLLABLES));
  const start = dateFrom(random, 2010, 15);
  // One in ten leaves at a known date, some of them already gone: the context period matters.
  const end = random.chance(0.1) ? dateFrom(random, 2024, 4) : null;
  return {
    id: personId(index),
    entityType: 'Person',
    key: employeeId(index),
    values: {
      employeeId: employeeId(index),
      firstName: random.pick(FIRST_NAMES),
      lastName,
      department: random.pick(DEPARTMENTS),
      jobTitle: random.pick(JOB_TITLES),
      site: random.pick(SITES),
      contractStart: start,
      contractEnd: end,
    },
    links: {},
  };
}

/** People [from, to) in batches, so that loading 100,000 never holds them all in memory. */
export function* peopleBatches(count: number, batchSize: number): Generator<Resource[]> {
  for (let from = 0; from < count; from += batchSize) {
    const batch: Resource[] = [];
    for (let i = from; i < Math.min(count, from + batchSize); i++) batch.push(person(i));
    yield batch;
  }
}

/** The change of one incremental sample: a move to another department, or a new job title. */
export function changedPerson(current: Resource, random: SeededRandom): Resource {
  const values = { ...current.values };
  if (random.chance(0.5)) {
    values.department = random.pick(DEPARTMENTS.filter((d) => d !== current.values.department));
  } else {
    values.jobTitle = random.pick(JOB_TITLES.filter((t) => t !== current.values.jobTitle));
  }
  return { ...current, values };
}

function dateFrom(random: SeededRandom, fromYear: number, years: number): string {
  const day = random.int(years * 365);
  return new Date(Date.UTC(fromYear, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
