import { personRecords } from '../packages/agent/test/support/ldap-configuration.ts';

/** One HR record, with the Person properties of the LDAP test configuration. */
export interface HrPerson {
  readonly employeeId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly title: string | null;
  readonly contractStart: string;
  readonly contractEnd: string | null;
}

/** The people of `personRecords` (E000000, Person0 Test...), as HR rows. */
export function benchPeople(count: number): HrPerson[] {
  return personRecords(count).map(({ values }) => ({ ...values }));
}

/** The inetOrgPerson attributes the configuration computes for a person (its expressions, by hand). */
export interface PersonEntry {
  readonly dn: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * What Ordo writes for a person, so that the raw baseline writes the same entry: `uid` =
 * lower(first.last), `cn`, `sn`, `givenName`, `mail`, `title` (or "Employee"), `employeeNumber`.
 */
export function personEntry(person: HrPerson, container: string): PersonEntry {
  const uid = `${person.firstName}.${person.lastName}`.toLowerCase();
  return {
    dn: `uid=${uid},${container}`,
    attributes: {
      uid,
      cn: `${person.firstName} ${person.lastName}`,
      sn: person.lastName,
      givenName: person.firstName,
      mail: `${uid}@example.org`,
      title: person.title ?? 'Employee',
      employeeNumber: person.employeeId,
    },
  };
}
