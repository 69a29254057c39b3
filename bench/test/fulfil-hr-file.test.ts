import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hrCsv, writeHrFile } from '../fulfil-hr-file.ts';
import { benchPeople, type HrPerson, personEntry } from '../fulfil-people.ts';

const ada: HrPerson = {
  employeeId: 'E1',
  firstName: 'Ada',
  lastName: 'Lovelace',
  title: null,
  contractStart: '2020-01-01',
  contractEnd: null,
};

describe('HR file', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('writes a header and one row per person, null as an empty cell, quoting only when needed', () => {
    const text = hrCsv([ada, { ...ada, employeeId: 'E2', title: 'Head, "Analytical" Engines' }]);
    expect(text).toBe(
      [
        'employeeId,firstName,lastName,title,contractStart,contractEnd',
        'E1,Ada,Lovelace,,2020-01-01,',
        'E2,Ada,Lovelace,"Head, ""Analytical"" Engines",2020-01-01,',
        '',
      ].join('\n'),
    );
  });

  it('replaces the file by renaming a complete copy over it, leaving no temp file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordo-bench-hr-test-'));
    const path = join(dir, 'people.csv');
    await writeHrFile(path, [ada]);
    await writeHrFile(path, [ada, { ...ada, employeeId: 'E2' }]);
    expect(await readFile(path, 'utf8')).toBe(hrCsv([ada, { ...ada, employeeId: 'E2' }]));
    expect(await readdir(dir)).toEqual(['people.csv']);
  });
});

describe('people', () => {
  it('are the records of the LDAP test configuration, as HR rows', () => {
    const people = benchPeople(3);
    expect(people.map((p) => p.employeeId)).toEqual(['E000000', 'E000001', 'E000002']);
    expect(people[2]).toEqual({
      employeeId: 'E000002',
      firstName: 'Person2',
      lastName: 'Test',
      title: null,
      contractStart: '2020-01-01',
      contractEnd: null,
    });
  });

  it("get the entry the configuration's expressions compute", () => {
    expect(personEntry(ada, 'ou=people,dc=example,dc=org')).toEqual({
      dn: 'uid=ada.lovelace,ou=people,dc=example,dc=org',
      attributes: {
        uid: 'ada.lovelace',
        cn: 'Ada Lovelace',
        sn: 'Lovelace',
        givenName: 'Ada',
        mail: 'ada.lovelace@example.org',
        title: 'Employee',
        employeeNumber: 'E1',
      },
    });
    expect(personEntry({ ...ada, title: 'Countess' }, 'ou=x,dc=y').attributes.title).toBe('Countess');
  });
});
