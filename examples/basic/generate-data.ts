/**
 * Writes examples/basic/data.json: a few hundred people from "HR", the directory's groups, and some
 * accounts that already exist in the directory (correlated, drifted and orphan ones), so that the
 * demo shows every kind of outcome. Deterministic: run it again and the file is the same.
 *   npx tsx examples/basic/generate-data.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const firstNames = [
  'Alice',
  'Bruno',
  'Chloé',
  'David',
  'Émilie',
  'François',
  'Gaëlle',
  'Hugo',
  'Inès',
  'Jules',
  'Karim',
  'Léa',
  'Marc',
  'Nina',
  'Océane',
  'Paul',
];
const lastNames = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefèvre',
  'Michel',
  'García',
  'Müller',
];
const departments = ['Engineering', 'Sales', 'Finance', 'Operations', 'Legal'];
const titles = ['Analyst', 'Engineer', 'Consultant', 'Specialist', 'Officer'];

let seed = 20261128;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const groups = ['staff', 'engineering', 'managers', 'directory-admins'].map((cn) => ({
  entityType: 'LdapGroup',
  key: `cn=${cn},ou=groups,dc=example,dc=org`,
  values: { dn: `cn=${cn},ou=groups,dc=example,dc=org`, cn },
}));

const people = [];
const accounts = [];
for (let i = 1; i <= 300; i++) {
  const employeeId = `E${String(i).padStart(5, '0')}`;
  const firstName = pick(firstNames);
  const lastName = pick(lastNames);
  const start = new Date(Date.UTC(2024, Math.floor(random() * 24), 1 + Math.floor(random() * 27)));
  const leaving = random() < 0.05;
  people.push({
    entityType: 'Person',
    key: employeeId,
    values: {
      employeeId,
      firstName,
      lastName,
      preferredName: null,
      department: pick(departments),
      jobTitle: pick(titles),
      contractStart: start.toISOString().slice(0, 10),
      contractEnd: leaving ? '2026-12-31' : null,
      isManager: i % 25 === 0,
    },
    links: i > 10 ? { manager: [`E${String(1 + (i % 10)).padStart(5, '0')}`] } : {},
  });
  // A third of the people already have a directory account, found by their employee number;
  // a few of those hold a value that differs from what the rules compute.
  if (i % 3 === 0) {
    const uid =
      `${firstName[0]}${lastName}`
        .normalize('NFD')
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase() + i;
    const dn = `uid=${uid},ou=people,dc=example,dc=org`;
    accounts.push({
      entityType: 'LdapAccount',
      key: dn,
      values: {
        dn,
        uid,
        cn: `${firstName} ${lastName}`,
        sn: i % 30 === 0 ? `${lastName}-Old` : lastName,
        givenName: firstName,
        mail: null,
        title: 'Employee',
        employeeNumber: employeeId,
      },
      links: { memberOf: [groups[0]!.key] },
    });
  }
}
// Accounts nobody owns: orphans for reconciliation.
for (let i = 1; i <= 5; i++) {
  const dn = `uid=former${i},ou=people,dc=example,dc=org`;
  accounts.push({
    entityType: 'LdapAccount',
    key: dn,
    values: {
      dn,
      uid: `former${i}`,
      cn: `Former Employee ${i}`,
      sn: 'Employee',
      givenName: 'Former',
      mail: null,
      title: null,
      employeeNumber: `X${i}`,
    },
    links: {},
  });
}

const file = join(import.meta.dirname, 'data.json');
writeFileSync(file, `${JSON.stringify({ resources: [...groups, ...people, ...accounts] }, null, 1)}\n`);
process.stdout.write(
  `wrote ${people.length} people, ${accounts.length} accounts, ${groups.length} groups to ${file}\n`,
);
