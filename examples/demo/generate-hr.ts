/**
 * Writes the demo's starting data: `hr/people.csv` (the HR export, ~300 people with departments,
 * managers and accented names; semicolons, UTF-8) and `atlas.sql` (the Atlas application's tables
 * and the accounts it already holds: some belong to people, some to leavers, a few to nobody).
 * Deterministic: a seeded generator and fixed dates, so running it again gives the same files.
 *   npx tsx examples/demo/generate-hr.ts      (or: npm run demo:data)
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
  'Zoé',
  'Jérôme',
  'Anaïs',
  'Søren',
  'Björn',
  'Lucía',
  'José',
  'Mathéo',
  'Noémie',
  'Raphaël',
  'Héloïse',
  'Agnès',
  'Loïc',
  'Aurélie',
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
  'Žák',
  'Ødegaard',
  'Núñez',
  'Gauthier',
  'Bélanger',
  'Côté',
  'Fournier',
  'Girard',
  'Mercier',
  'Šimek',
  'Löwe',
  'Dupré',
  'Rousseau',
  'Besançon',
];
/** Department → titles of its people and how many it employs. */
const departments = [
  { name: 'Engineering', size: 70, titles: ['Software Engineer', 'Site Reliability Engineer', 'QA Engineer'] },
  { name: 'Sales', size: 50, titles: ['Account Executive', 'Sales Representative'] },
  { name: 'Finance', size: 30, titles: ['Accountant', 'Financial Analyst', 'Controller'] },
  { name: 'Marketing', size: 30, titles: ['Marketing Specialist', 'Content Writer'] },
  { name: 'Operations', size: 45, titles: ['Operations Analyst', 'Logistics Coordinator'] },
  { name: 'Human Resources', size: 20, titles: ['HR Partner', 'Recruiter'] },
  { name: 'Support', size: 40, titles: ['Support Agent', 'Support Specialist'] },
  { name: 'Legal', size: 14, titles: ['Legal Counsel', 'Paralegal'] },
];
const teamSize = 12;

/** mulberry32: tiny, seeded, the same sequence on every machine. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T };
}

interface Person {
  employeeId: string;
  firstName: string;
  lastName: string;
  preferredName: string;
  department: string;
  jobTitle: string;
  contractStart: string;
  contractEnd: string;
  isManager: boolean;
  manager: string;
}

const random = seededRandom(20261128);
const people: Person[] = [];
const usedNames = new Set<string>();
function newPerson(department: string, jobTitle: string, manager: string, isManager: boolean): Person {
  let firstName: string;
  let lastName: string;
  // Unique full names keep the demo readable; homonyms are rare at this size anyway.
  do {
    firstName = random.pick(firstNames);
    lastName = random.pick(lastNames);
  } while (usedNames.has(`${firstName} ${lastName}`));
  usedNames.add(`${firstName} ${lastName}`);
  const year = 2012 + Math.floor(random.next() * 13);
  const month = 1 + Math.floor(random.next() * 12);
  const person: Person = {
    employeeId: `E${String(people.length + 1).padStart(5, '0')}`,
    firstName,
    lastName,
    preferredName: random.next() < 0.05 ? `${firstName.slice(0, 3)}` : '',
    department,
    jobTitle,
    contractStart: `${year}-${String(month).padStart(2, '0')}-01`,
    // A few fixed-term contracts, ending after the demo's date.
    contractEnd: random.next() < 0.06 ? '2027-12-31' : '',
    isManager,
    manager,
  };
  people.push(person);
  return person;
}

const chief = newPerson('Executive', 'Chief Executive Officer', '', true);
for (const department of departments) {
  const head = newPerson(department.name, `Head of ${department.name}`, chief.employeeId, true);
  const leads: Person[] = [];
  const leadCount = Math.max(1, Math.round(department.size / teamSize) - 1);
  for (let i = 0; i < leadCount; i++) leads.push(newPerson(department.name, 'Team Lead', head.employeeId, true));
  for (let i = 0; i < department.size - leadCount - 1; i++) {
    const lead = leads[i % leads.length] as Person;
    newPerson(department.name, random.pick(department.titles), lead.employeeId, false);
  }
}
// Leavers: still in the HR file, contract over. Two of them kept their Atlas account.
const leavers = people.filter((p) => !p.isManager).filter((_, i) => i % 60 === 59);
for (const leaver of leavers) leaver.contractEnd = '2026-06-30';

const header = [
  'employeeId',
  'firstName',
  'lastName',
  'preferredName',
  'department',
  'jobTitle',
  'contractStart',
  'contractEnd',
  'isManager',
  'manager',
];
const csv = [
  header.join(';'),
  ...people.map((p) => header.map((column) => String(p[column as keyof Person])).join(';')),
].join('\n');
const folder = import.meta.dirname;
writeFileSync(join(folder, 'hr/people.csv'), `${csv}\n`);

// The login rule of examples/demo/atlas.yaml, for the accounts Atlas holds before Ordo arrives.
const simplify = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
const quote = (value: string | null) => (value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`);
const groups = [
  ['staff', 'Every employee'],
  ['engineering', 'Engineering tools'],
  ['managers', 'People managers'],
  ['finance-approvers', 'May approve invoices'],
  ['atlas-admins', 'Atlas administrators'],
];
const accounts: {
  login: string;
  employeeId: string | null;
  displayName: string;
  mail: string | null;
  department: string | null;
  groups: string[];
}[] = [];
// Every 15th person already has an account, with the display name Atlas was given back then.
for (const person of people.filter((_, i) => i % 15 === 4)) {
  accounts.push({
    login: `${simplify(person.firstName)}.${simplify(person.lastName)}`,
    employeeId: person.employeeId,
    displayName: `${person.firstName} ${person.lastName}`.toUpperCase(),
    mail: `${simplify(person.firstName)}.${simplify(person.lastName)}@example.org`,
    department: person.department,
    groups: ['staff'],
  });
}
for (const leaver of leavers.slice(0, 2)) {
  accounts.push({
    login: `${simplify(leaver.firstName)}.${simplify(leaver.lastName)}`,
    employeeId: leaver.employeeId,
    displayName: `${leaver.firstName} ${leaver.lastName}`,
    mail: null,
    department: leaver.department,
    groups: ['staff'],
  });
}
// Accounts nobody in HR owns: what resource reconciliation is for.
accounts.push(
  {
    login: 'temp.contractor',
    employeeId: null,
    displayName: 'Temporary contractor',
    mail: null,
    department: null,
    groups: ['staff'],
  },
  { login: 'svc.backup', employeeId: null, displayName: 'Backup service', mail: null, department: null, groups: [] },
  {
    login: 'adm-legacy',
    employeeId: null,
    displayName: 'Old administrator',
    mail: null,
    department: null,
    groups: ['atlas-admins'],
  },
);

const sql = `-- Written by examples/demo/generate-hr.ts: the Atlas application's tables and the rows it holds
-- before Ordo manages it. \`ordo demo\` runs this into the SQLite file of the Atlas connection.
CREATE TABLE accounts (
  login TEXT PRIMARY KEY,
  employee_id TEXT,
  display_name TEXT,
  mail TEXT,
  department TEXT
);
CREATE TABLE groups (
  name TEXT PRIMARY KEY,
  description TEXT
);
CREATE TABLE account_groups (
  account_login TEXT NOT NULL REFERENCES accounts (login),
  group_name TEXT NOT NULL REFERENCES groups (name),
  PRIMARY KEY (account_login, group_name)
);
${groups.map(([name, description]) => `INSERT INTO groups VALUES (${quote(name ?? '')}, ${quote(description ?? '')});`).join('\n')}
${accounts
  .map(
    (a) =>
      `INSERT INTO accounts VALUES (${[a.login, a.employeeId, a.displayName, a.mail, a.department].map(quote).join(', ')});`,
  )
  .join('\n')}
${accounts
  .flatMap((a) => a.groups.map((g) => `INSERT INTO account_groups VALUES (${quote(a.login)}, ${quote(g)});`))
  .join('\n')}
`;
writeFileSync(join(folder, 'atlas.sql'), sql);
process.stderr.write(
  `wrote ${people.length} people (${people.filter((p) => p.isManager).length} managers) and ${accounts.length} Atlas accounts\n`,
);
