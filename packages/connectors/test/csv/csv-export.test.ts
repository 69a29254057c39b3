import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/connector-error.ts';
import { CsvFileError } from '../../src/csv/csv-file-error.ts';
import { csvConnector, header, rejection, runExport, useTempDirectory } from './csv-fixture.ts';

const tempDirectory = useTempDirectory();

/** Writes an HR file (rows joined with CRLF) and returns its path. */
function hrFile(rows: readonly string[], name = 'people.csv'): string {
  const path = join(tempDirectory(), name);
  writeFileSync(path, `${rows.join('\r\n')}\r\n`);
  return path;
}

const ada = 'E1,Ada,Lovelace,36,yes,2024-01-15,,staff|admins';
const alan = 'E2,Alan,Turing,41,0,2024-02-01T09:00:00Z,E1,staff';
const grace = 'E3,Grace,"Hopper, RDML",,true,,E1,';

describe('CSV export: complete', () => {
  it('delivers every row in pages, typed by the entity type, with links', async () => {
    const connector = csvConnector({ path: hrFile([header, ada, alan, grace]) });
    const { outcome, pages, objects } = await runExport(connector, 'complete', null, 2);
    expect(outcome.mode).toBe('complete');
    expect(outcome.cookie).toEqual(expect.any(String));
    expect(pages.map((p) => p.objects.length)).toEqual([2, 1]);
    expect(pages.every((p) => p.deletedKeys === undefined)).toBe(true);
    expect(objects).toEqual([
      {
        entityType: 'Person',
        key: 'E1',
        values: {
          employeeId: 'E1',
          firstName: 'Ada',
          lastName: 'Lovelace',
          age: 36,
          active: true,
          hireDate: '2024-01-15',
        },
        links: { manager: [], groups: ['staff', 'admins'] },
      },
      {
        entityType: 'Person',
        key: 'E2',
        values: {
          employeeId: 'E2',
          firstName: 'Alan',
          lastName: 'Turing',
          age: 41,
          active: false,
          hireDate: '2024-02-01T09:00:00Z',
        },
        links: { manager: ['E1'], groups: ['staff'] },
      },
      {
        entityType: 'Person',
        key: 'E3',
        values: {
          employeeId: 'E3',
          firstName: 'Grace',
          lastName: 'Hopper, RDML',
          age: null,
          active: true,
          hireDate: null,
        },
        links: { manager: ['E1'], groups: [] },
      },
    ]);
  });

  it('delivers one empty page for a file with a header and no rows', async () => {
    const connector = csvConnector({ path: hrFile([header]) });
    const { pages, outcome } = await runExport(connector, 'complete', null);
    expect(pages).toEqual([{ objects: [] }]);
    expect(outcome.mode).toBe('complete');
  });

  it('reads another encoding, delimiter and column names, ignoring columns nobody maps', async () => {
    const path = join(tempDirectory(), 'latin1.csv');
    const text =
      'Matricule;Prénom;Nom;Âge;Actif;Embauche;Chef;Groupes;Commentaire\r\nE9;Zoé;Müller;29;no;2023-09-01;;;ça va\r\n';
    writeFileSync(path, Buffer.from(text, 'latin1'));
    const connector = csvConnector({
      path,
      encoding: 'windows-1252',
      delimiter: ';',
      'Person.keyColumn': 'Matricule',
      'Person.columns':
        'firstName=Prénom, lastName=Nom, age=Âge, active=Actif, hireDate=Embauche, manager=Chef, groups=Groupes',
    });
    const { objects } = await runExport(connector, 'complete', null);
    expect(objects).toEqual([
      {
        entityType: 'Person',
        key: 'E9',
        values: {
          employeeId: 'E9',
          firstName: 'Zoé',
          lastName: 'Müller',
          age: 29,
          active: false,
          hireDate: '2023-09-01',
        },
        links: { manager: [], groups: [] },
      },
    ]);
  });

  it('reads UTF-16 with its byte order mark, and refuses a lone surrogate with its line', async () => {
    const path = join(tempDirectory(), 'utf16.csv');
    writeFileSync(path, Buffer.from(`\uFEFF${header}\r\n${ada}\r\n`, 'utf16le'));
    const { objects } = await runExport(csvConnector({ path, encoding: 'utf-16le' }), 'complete', null);
    expect(objects[0]?.values.lastName).toBe('Lovelace');

    const broken = Buffer.concat([
      Buffer.from(`${header}\n${ada}\nE2,`, 'utf16le'),
      Buffer.from([0x00, 0xd8]), // a high surrogate with no low one after it
      Buffer.from(',x,1,1,,,\n', 'utf16le'),
    ]);
    writeFileSync(path, broken);
    const error = await rejection(runExport(csvConnector({ path, encoding: 'utf-16le' }), 'complete', null));
    expect((error as CsvFileError).problems).toEqual([
      { code: 'encoding', line: 3, message: 'holds bytes that are not valid utf-16le' },
    ]);
  });

  it('strips a UTF-8 byte order mark before the header', async () => {
    const path = join(tempDirectory(), 'bom.csv');
    writeFileSync(path, `\uFEFF${header}\n${ada}\n`);
    const { objects } = await runExport(csvConnector({ path }), 'complete', null);
    expect(objects.map((o) => o.key)).toEqual(['E1']);
  });

  it('refuses an export of another entity type, and a missing file as unreachable', async () => {
    const connector = csvConnector({ path: join(tempDirectory(), 'absent.csv') });
    const other = await rejection(
      connector.export({ entityType: 'Group', mode: 'complete', cookie: null }, async () => {}),
    );
    expect(other).toMatchObject({ kind: 'configuration', applied: 'no' });
    const missing = await rejection(runExport(connector, 'complete', null));
    expect(missing).toBeInstanceOf(ConnectorError);
    expect(missing).toMatchObject({ kind: 'unreachable', applied: 'no', retryable: true });
    expect((missing as Error).message).toMatch(/^connection HrCsv\d+: cannot read .*absent\.csv/);
    await expect(connector.testConnection()).rejects.toMatchObject({ kind: 'unreachable' });
  });

  it('answers a connection test when the file is readable', async () => {
    await expect(csvConnector({ path: hrFile([header, ada]) }).testConnection()).resolves.toBeUndefined();
  });
});

/** Exports a refused file and returns the error, checking that nothing was delivered. */
async function refusal(rows: readonly string[] | Buffer): Promise<CsvFileError> {
  const path = join(tempDirectory(), 'refused.csv');
  if (Buffer.isBuffer(rows)) writeFileSync(path, rows);
  else writeFileSync(path, `${rows.join('\n')}\n`);
  let delivered = 0;
  const connector = csvConnector({ path });
  const error = await rejection(
    connector.export({ entityType: 'Person', mode: 'complete', cookie: null }, async () => {
      delivered += 1;
    }),
  );
  expect(delivered).toBe(0);
  expect(error).toBeInstanceOf(CsvFileError);
  expect(error).toMatchObject({ kind: 'schema', applied: 'no', retryable: false });
  // A refused file leaves no snapshot behind.
  expect(readdirSync(join(tempDirectory(), '.ordo-csv-state'))).toEqual([]);
  return error as CsvFileError;
}

const located = (error: CsvFileError) => error.problems.map((p) => `${p.line} ${p.code}`);

describe('CSV export: refusals', () => {
  it('lists every bad row of the file with its line, in one error', async () => {
    const error = await refusal([
      header,
      ada,
      'E2,Alan,Turing,41,0,2024-02-01', // ragged: 6 cells
      ',Nobody,Here,1,1,2024-01-01,,', // empty key
      'E1,Ada,Again,36,1,2024-01-15,,', // duplicate of line 2
      'E4,Bad,Age,4.5,1,2024-01-01,,',
      'E5,Bad,Bool,5,maybe,2024-01-01,,',
      'E6,Bad,Date,6,1,31/12/2024,,',
      'E7,Too,Many,7,1,2024-01-01,,,extra',
    ]);
    expect(located(error)).toEqual([
      '3 ragged_row',
      '4 empty_key',
      '5 duplicate_key',
      '6 bad_value',
      '7 bad_value',
      '8 bad_value',
      '9 ragged_row',
    ]);
    expect(error.problems[2]).toMatchObject({ code: 'duplicate_key', line: 5, firstLine: 2, column: 'employeeId' });
    expect(error.problems[3]).toMatchObject({ column: 'age' });
    expect(error.problemCount).toBe(7);
    expect(error.message).toContain('is refused (7 problems), nothing was read');
    expect(error.message).toContain('- line 3: has 6 cells, the header has 8');
    expect(error.message).toContain('- line 4: the key "employeeId" is empty');
    expect(error.message).toContain('- line 5: duplicate key "E1", already on line 2');
    expect(error.message).toContain('- line 6: "4.5" in column 4 "age" is not an integer');
    expect(error.message).toContain('- line 7: "maybe" in column 5 "active" is not a boolean');
    expect(error.message).toContain('- line 8: "31/12/2024" in column 6 "hireDate" is not an ISO 8601 date');
    expect(error.message).toContain('- line 9: has 9 cells, the header has 8');
    expect(error.toJSON()).toMatchObject({ kind: 'schema', problemCount: 7, problems: error.problems });
  });

  it('counts a record spanning lines from the line it starts on', async () => {
    const error = await refusal([header, 'E1,"Ada', 'Augusta",Lovelace,36,1,2024-01-15,,', 'E2,x,y,notanumber,1,,,']);
    expect(located(error)).toEqual(['4 bad_value']);
  });

  it('refuses an empty file as having no header', async () => {
    const error = await refusal(Buffer.alloc(0));
    expect(located(error)).toEqual(['1 missing_header']);
  });

  it('refuses a header without the key column or a mapped column, naming what it has', async () => {
    const error = await refusal(['id,firstName,lastName,active,hireDate,manager,groups', '1,a,b,1,,,']);
    expect(located(error)).toEqual(['1 missing_column', '1 missing_column']);
    expect(error.message).toContain('the key column "employeeId" is missing from the header (it has "id", "firstName"');
    expect(error.message).toContain('the column "age" (property age) is missing');
  });

  it('refuses a header naming a mapped column twice', async () => {
    const error = await refusal([`${header},age`, `${ada},3`]);
    expect(located(error)).toEqual(['1 duplicate_column']);
    expect(error.message).toContain('column "age" appears twice in the header (columns 4 and 9)');
  });

  it('refuses broken quoting with its line, listing problems in file order', async () => {
    const error = await refusal([header, 'E1,a,b,notint,1,,,', 'E2,"Alan"x,Turing,41,0,,,']);
    expect(located(error)).toEqual(['2 bad_value', '3 syntax']);
  });

  it('refuses bytes that are not valid in the encoding, naming each bad line', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${header}\n${ada}\nE2,`),
      Buffer.from([0x41, 0x6c, 0xe9, 0x6e]), // "Alén" in Latin-1: not UTF-8
      Buffer.from(',Turing,41,0,,,\nE3,ok,ok,1,1,,,\nE4,'),
      Buffer.from([0xc3]), // a cut-off two-byte sequence at the end of a field
      Buffer.from(',x,1,1,,,\n'),
    ]);
    const error = await refusal(bytes);
    expect(located(error)).toEqual(['3 encoding', '5 encoding']);
    expect(error.message).toContain('- line 3: holds bytes that are not valid utf-8');
  });

  it('lists at most 50 problems in the message and says how many more, keeping them all', async () => {
    const rows = [header];
    for (let i = 0; i < 120; i += 1) rows.push(`E${i},a,b,old,1,,,`);
    const error = await refusal(rows);
    expect(error.problemCount).toBe(120);
    expect(error.problems).toHaveLength(120);
    expect(error.message.split('\n').filter((line) => line.startsWith('- line'))).toHaveLength(50);
    expect(error.message).toContain('- … and 70 more');
  });
});

describe('CSV export: incremental', () => {
  it('delivers only new and changed rows and the deleted keys, then nothing when nothing changed', async () => {
    const path = hrFile([header, ada, alan, grace]);
    const connector = csvConnector({ path });
    const first = await runExport(connector, 'incremental', null);
    expect(first.outcome.mode).toBe('complete');
    expect(first.objects).toHaveLength(3);

    const alanMoved = 'E2,Alan,Turing,41,0,2024-02-01T09:00:00Z,E3,staff';
    hrFile([header, alanMoved, grace, 'E4,Katherine,Johnson,,1,2024-05-01,E3,staff']);
    const second = await runExport(connector, 'incremental', first.outcome.cookie);
    expect(second.outcome.mode).toBe('incremental');
    expect(second.outcome.cookie).not.toBe(first.outcome.cookie);
    expect(second.objects.map((o) => o.key)).toEqual(['E2', 'E4']);
    expect(second.objects[0]?.links.manager).toEqual(['E3']);
    expect(second.deletedKeys).toEqual(['E1']);

    const third = await runExport(connector, 'incremental', second.outcome.cookie);
    expect(third.outcome).toEqual({ mode: 'incremental', cookie: second.outcome.cookie });
    expect(third.pages).toEqual([{ objects: [], deletedKeys: [] }]);
  });

  it('ignores changes that export nothing different: unmapped columns and the order of a multi-valued cell', async () => {
    const path = hrFile([`${header},note`, `${ada},first`]);
    const connector = csvConnector({ path });
    const first = await runExport(connector, 'incremental', null);
    hrFile([`${header},note`, 'E1,Ada,Lovelace,36,yes,2024-01-15,,admins|staff,second']);
    const second = await runExport(connector, 'incremental', first.outcome.cookie);
    expect(second.outcome.mode).toBe('incremental');
    expect(second.objects).toEqual([]);
  });

  it('keeps keys that look like object internals as data', async () => {
    const connector = csvConnector({ path: hrFile([header, '__proto__,a,b,1,1,,,', 'constructor,c,d,2,0,,,']) });
    const first = await runExport(connector, 'incremental', null);
    expect(first.objects.map((o) => o.key)).toEqual(['__proto__', 'constructor']);
    hrFile([header, '__proto__,a,b,3,1,,,']);
    const second = await runExport(connector, 'incremental', first.outcome.cookie);
    expect(second.outcome.mode).toBe('incremental');
    expect(second.objects.map((o) => [o.key, o.values.age])).toEqual([['__proto__', 3]]);
    expect(second.deletedKeys).toEqual(['constructor']);
  });

  it('pages deleted keys like objects', async () => {
    const rows = [header];
    for (let i = 0; i < 5; i += 1) rows.push(`E${i},a,b,1,1,,,`);
    const connector = csvConnector({ path: hrFile(rows) });
    const first = await runExport(connector, 'complete', null);
    hrFile([header, 'E0,a,b,2,1,,,']);
    const second = await runExport(connector, 'incremental', first.outcome.cookie, 2);
    expect(second.pages).toEqual([
      { objects: [expect.objectContaining({ key: 'E0' })], deletedKeys: ['E1', 'E2'] },
      { objects: [], deletedKeys: ['E3', 'E4'] },
    ]);
  });

  it('falls back to a complete export when the snapshot is lost or the cookie is not its own', async () => {
    const path = hrFile([header, ada, alan]);
    const connector = csvConnector({ path });
    const first = await runExport(connector, 'incremental', null);
    const foreign = await runExport(connector, 'incremental', 'some-other-cookie');
    expect(foreign.outcome.mode).toBe('complete');
    expect(foreign.objects.map((o) => o.key)).toEqual(['E1', 'E2']);

    rmSync(join(tempDirectory(), '.ordo-csv-state'), { recursive: true });
    const lost = await runExport(connector, 'incremental', foreign.outcome.cookie);
    expect(lost.outcome.mode).toBe('complete');
    expect(lost.objects.map((o) => o.key)).toEqual(['E1', 'E2']);
    expect(lost.deletedKeys).toEqual([]);
    // The first cookie was superseded by the exports after it.
    expect((await runExport(connector, 'incremental', first.outcome.cookie)).outcome.mode).toBe('complete');
  });

  it('treats a corrupt snapshot as lost', async () => {
    const connector = csvConnector({ path: hrFile([header, ada]) });
    const first = await runExport(connector, 'incremental', null);
    const stateDirectory = join(tempDirectory(), '.ordo-csv-state');
    const [snapshot] = readdirSync(stateDirectory);
    writeFileSync(join(stateDirectory, snapshot as string), '{"format":"ordo-csv-snapshot/3","id":');
    const again = await runExport(connector, 'incremental', first.outcome.cookie);
    expect(again.outcome.mode).toBe('complete');
    expect(again.objects).toHaveLength(1);
  });

  it('keeps the old snapshot when a page is not accepted, so the same changes come again', async () => {
    const path = hrFile([header, ada, alan]);
    const connector = csvConnector({ path });
    const first = await runExport(connector, 'incremental', null);
    hrFile([header, ada]);
    const failure = new Error('server down');
    const thrown = await rejection(
      connector.export({ entityType: 'Person', mode: 'incremental', cookie: first.outcome.cookie }, async () => {
        throw failure;
      }),
    );
    expect(thrown).toBe(failure);
    const retried = await runExport(connector, 'incremental', first.outcome.cookie);
    expect(retried.outcome.mode).toBe('incremental');
    expect(retried.deletedKeys).toEqual(['E2']);
    // Only the snapshot itself: the temporary file it was written to was renamed over it.
    expect(readdirSync(join(tempDirectory(), '.ordo-csv-state'))).toEqual([expect.stringMatching(/\.json$/)]);
  });

  it('refuses a state directory it cannot use before delivering anything', async () => {
    const path = hrFile([header, ada]);
    const connector = csvConnector({ path, stateDirectory: path });
    let delivered = 0;
    const error = await rejection(
      connector.export({ entityType: 'Person', mode: 'complete', cookie: null }, async () => {
        delivered += 1;
      }),
    );
    expect(error).toMatchObject({ kind: 'configuration', applied: 'no' });
    expect((error as Error).message).toMatch(/cannot use the state directory/);
    expect(delivered).toBe(0);
  });

  it('keeps the snapshot in the configured state directory, apart for each connection', async () => {
    const stateDirectory = join(tempDirectory(), 'state', 'nested');
    const path = hrFile([header, ada]);
    const one = csvConnector({ path, stateDirectory });
    const two = csvConnector({ path, stateDirectory });
    const a = await runExport(one, 'incremental', null);
    await runExport(two, 'incremental', null);
    expect(readdirSync(stateDirectory)).toHaveLength(2);
    expect((await runExport(one, 'incremental', a.outcome.cookie)).outcome.mode).toBe('incremental');
  });

  it('exports and diffs 50,000 rows', async () => {
    const rows = [header];
    for (let i = 0; i < 50_000; i += 1) {
      rows.push(
        `E${i},First ${i},"Last, ${i}",${20 + (i % 40)},${i % 2},2024-01-${String(1 + (i % 28)).padStart(2, '0')},E${i >> 1},staff|g${i % 10}`,
      );
    }
    const path = hrFile(rows);
    const connector = csvConnector({ path });
    let complete = 0;
    const first = await connector.export({ entityType: 'Person', mode: 'incremental', cookie: null }, async (page) => {
      complete += page.objects.length;
    });
    expect(complete).toBe(50_000);

    rows[10] = rows[10]?.replace('First 9,', 'Renamed 9,') as string;
    rows.splice(20_000, 1);
    rows.push('E50000,New,Hire,30,1,2024-06-01,E1,staff');
    hrFile(rows);
    const second = await runExport(connector, 'incremental', first.cookie);
    expect(second.outcome.mode).toBe('incremental');
    expect(second.objects.map((o) => o.key)).toEqual(['E9', 'E50000']);
    expect(second.objects[0]?.values.firstName).toBe('Renamed 9');
    expect(second.deletedKeys).toEqual(['E19999']);
  });
});

describe('CSV read', () => {
  it('finds one key in the export file: the requested values and every link', async () => {
    const path = hrFile([header, ada, alan]);
    const connector = csvConnector({ path });
    expect(
      await connector.read({ entityType: 'Person', key: 'E2', properties: ['firstName', 'age', 'unknown'] }),
    ).toEqual({
      entityType: 'Person',
      key: 'E2',
      values: { firstName: 'Alan', age: 41 },
      links: { manager: ['E1'], groups: ['staff'] },
    });
    expect(await connector.read({ entityType: 'Person', key: 'E9', properties: [] })).toBeNull();
    hrFile([header, 'E2,Alan,Turing,42,0,,,']);
    const after = await connector.read({ entityType: 'Person', key: 'E2', properties: ['age'] });
    expect(after?.values).toEqual({ age: 42 });
  });

  it('refuses to read from a refused file', async () => {
    const connector = csvConnector({ path: hrFile([header, ada, ada]) });
    const error = await rejection(connector.read({ entityType: 'Person', key: 'E1', properties: [] }));
    expect(error).toBeInstanceOf(CsvFileError);
    expect((error as CsvFileError).problems[0]).toMatchObject({ code: 'duplicate_key', line: 3, firstLine: 2 });
  });
});
