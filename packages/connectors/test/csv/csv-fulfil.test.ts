import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FulfilOperation } from '../../src/connector.ts';
import { CsvConnector } from '../../src/csv/csv-connector.ts';
import { parseCsv } from '../../src/csv/csv-parser.ts';
import { readCsvSettings } from '../../src/csv/csv-settings.ts';
import { csvConnector, entityTypes, header, rejection, useTempDirectory } from './csv-fixture.ts';

const tempDirectory = useTempDirectory();
const fileHeader = 'at,operation,entityType,key,values,addLinks,removeLinks\r\n';

/** A fulfilling connector whose clock ticks one second per row. */
function fulfiller(settings: Record<string, string> = {}, fulfilPath = join(tempDirectory(), 'orders.csv')) {
  let tick = 0;
  const now = () => new Date(Date.UTC(2024, 0, 1, 0, 0, tick++));
  const context = { connectionId: 'Orders', settings: { fulfilPath, ...settings }, entityTypes };
  return { connector: new CsvConnector(readCsvSettings(context), { now }), path: fulfilPath };
}

const createAda: FulfilOperation = {
  kind: 'create',
  entityType: 'Person',
  key: 'E1',
  values: { lastName: 'Lovelace', firstName: 'Ada', age: 36 },
  links: { groups: ['staff', 'admins'] },
};
const renameAda: FulfilOperation = {
  kind: 'update',
  entityType: 'Person',
  key: 'E1',
  values: { lastName: 'King', hireDate: null },
  addLinks: { groups: ['finance'] },
  removeLinks: { groups: ['staff'] },
};
const deleteAda: FulfilOperation = { kind: 'delete', entityType: 'Person', key: 'E1' };

describe('CSV file fulfiller', () => {
  it('appends one row per operation, values and links as canonical JSON, header first', async () => {
    const { connector, path } = fulfiller();
    expect(connector.capabilities).toMatchObject({ fulfil: true, readBack: false, completeExport: false });
    expect(await connector.fulfil(createAda)).toEqual({ changed: true, key: 'E1' });
    expect(await connector.fulfil(renameAda)).toEqual({ changed: true, key: 'E1' });
    expect(await connector.fulfil(deleteAda)).toEqual({ changed: true, key: 'E1' });
    expect(readFileSync(path, 'utf8')).toBe(
      fileHeader +
        '2024-01-01T00:00:00.000Z,create,Person,E1,"{""age"":36,""firstName"":""Ada"",""lastName"":""Lovelace""}","{""groups"":[""admins"",""staff""]}",{}\r\n' +
        '2024-01-01T00:00:01.000Z,update,Person,E1,"{""hireDate"":null,""lastName"":""King""}","{""groups"":[""finance""]}","{""groups"":[""staff""]}"\r\n' +
        '2024-01-01T00:00:02.000Z,delete,Person,E1,{},{},{}\r\n',
    );
  });

  it('does not append an operation that is already the last row for its key', async () => {
    const { connector, path } = fulfiller();
    await connector.fulfil(createAda);
    const reordered = { ...createAda, values: { age: 36, firstName: 'Ada', lastName: 'Lovelace' } };
    const sameLinks = { ...reordered, links: { groups: ['admins', 'staff', 'admins'], manager: [] } };
    expect(await connector.fulfil(createAda)).toEqual({ changed: false, key: 'E1' });
    expect(await connector.fulfil(sameLinks)).toEqual({ changed: false, key: 'E1' });
    expect(await connector.fulfil(renameAda)).toMatchObject({ changed: true });
    expect(await connector.fulfil(renameAda)).toMatchObject({ changed: false });
    // Not the last row any more: asked again, it is a new order and is written again.
    expect(await connector.fulfil(createAda)).toMatchObject({ changed: true });
    await connector.fulfil({ ...createAda, key: 'E2' });
    expect(await connector.fulfil(createAda)).toMatchObject({ changed: false });
    expect(await connector.fulfil(deleteAda)).toMatchObject({ changed: true });
    expect(await connector.fulfil(deleteAda)).toMatchObject({ changed: false });
    const operations = parseCsv(readFileSync(path, 'utf8'))
      .records.slice(1)
      .map((r) => `${r.cells[1]} ${r.cells[3]}`);
    expect(operations).toEqual(['create E1', 'update E1', 'create E1', 'create E2', 'delete E1']);
  });

  it('remembers the last rows across a restart, and sees rows others appended', async () => {
    const first = fulfiller();
    await first.connector.fulfil(createAda);
    const restarted = fulfiller({}, first.path);
    expect(await restarted.connector.fulfil(createAda)).toMatchObject({ changed: false });

    appendFileSync(first.path, '2024-02-01T00:00:00.000Z,delete,Person,E1,{},{},{}\r\n');
    expect(await restarted.connector.fulfil(deleteAda)).toMatchObject({ changed: false });
    expect(await restarted.connector.fulfil(createAda)).toMatchObject({ changed: true });
    expect(parseCsv(readFileSync(first.path, 'utf8')).records).toHaveLength(4);
  });

  it('reads the whole file again when it was replaced, and starts a new one when it was removed', async () => {
    const { connector, path } = fulfiller();
    await connector.fulfil(createAda);
    writeFileSync(path, `${fileHeader}2024-03-01T00:00:00.000Z,update,Person,E1,{},{},{}\r\n`);
    const touch = { ...renameAda, values: {}, addLinks: {}, removeLinks: {} };
    expect(await connector.fulfil(touch)).toMatchObject({ changed: false });
    // Rewritten in place and longer than what was read: the end the log knew is gone, so it reads it all.
    const padding = 'x'.repeat(300);
    writeFileSync(path, `${fileHeader}2024-03-02T00:00:00.000Z,update,Person,E1,"{""note"":""${padding}""}",{},{}\r\n`);
    expect(await connector.fulfil({ ...touch, values: { note: padding } })).toMatchObject({ changed: false });
    expect(await connector.fulfil(touch)).toMatchObject({ changed: true });
    rmSync(path);
    expect(await connector.fulfil(createAda)).toMatchObject({ changed: true });
    expect(readFileSync(path, 'utf8').startsWith(fileHeader)).toBe(true);
  });

  it('starts on a new line after a row cut short by a crash, which records nothing', async () => {
    const { connector, path } = fulfiller();
    await connector.fulfil(createAda);
    appendFileSync(path, '2024-02-01T00:00:00.000Z,delete,Per');
    const restarted = fulfiller({}, path);
    expect(await restarted.connector.fulfil(createAda)).toMatchObject({ changed: false });
    expect(await restarted.connector.fulfil(deleteAda)).toMatchObject({ changed: true });
    const records = parseCsv(readFileSync(path, 'utf8')).records;
    expect(records.map((r) => r.cells.length)).toEqual([7, 7, 3, 7]);
    expect(records.at(-1)?.cells.slice(1, 4)).toEqual(['delete', 'Person', 'E1']);
  });

  it('quotes values with delimiters, quotes and line breaks so that they read back intact', async () => {
    const { connector, path } = fulfiller({ delimiter: ';' });
    const values = { lastName: 'Doe; "Jr", the 2nd', firstName: 'multi\r\nline' };
    await connector.fulfil({ kind: 'create', entityType: 'Person', key: 'E;1', values, links: {} });
    const [head, row] = parseCsv(readFileSync(path, 'utf8'), { delimiter: ';' }).records;
    expect(head?.cells).toEqual(['at', 'operation', 'entityType', 'key', 'values', 'addLinks', 'removeLinks']);
    expect(row?.cells[3]).toBe('E;1');
    expect(JSON.parse(row?.cells[4] as string)).toEqual(values);
  });

  it('writes concurrent operations one after the other, each once', async () => {
    const { connector, path } = fulfiller();
    const operations = Array.from({ length: 30 }, (_, i) => ({ ...createAda, key: `E${i % 10}` }));
    const outcomes = await Promise.all(operations.map((operation) => connector.fulfil(operation)));
    expect(outcomes.filter((o) => o.changed)).toHaveLength(10);
    expect(
      readFileSync(path, 'utf8')
        .split('\r\n')
        .filter((line) => line !== ''),
    ).toHaveLength(11);
  });

  it('refuses a file with another header, a missing directory, an entity type it does not serve, an empty key', async () => {
    const foreign = join(tempDirectory(), 'foreign.csv');
    writeFileSync(foreign, `${header}\r\nE1,a,b,1,1,,,\r\n`);
    const onForeign = fulfiller({}, foreign).connector;
    expect(await rejection(onForeign.fulfil(createAda))).toMatchObject({ kind: 'configuration', applied: 'no' });
    expect(readFileSync(foreign, 'utf8')).toBe(`${header}\r\nE1,a,b,1,1,,,\r\n`);

    const nowhere = fulfiller({}, join(tempDirectory(), 'missing', 'orders.csv')).connector;
    const missing = await rejection(nowhere.fulfil(createAda));
    expect(missing).toMatchObject({ kind: 'configuration', applied: 'no' });
    expect((missing as Error).message).toMatch(/setting "fulfilPath": the directory .*missing does not exist/);
    await expect(nowhere.testConnection()).rejects.toMatchObject({ kind: 'configuration' });
    expect(existsSync(join(tempDirectory(), 'missing'))).toBe(false);

    const { connector } = fulfiller();
    await expect(connector.testConnection()).resolves.toBeUndefined();
    const robot = { kind: 'delete' as const, entityType: 'Robot', key: 'R1' };
    expect(await rejection(connector.fulfil(robot))).toMatchObject({ kind: 'configuration' });
    expect(await rejection(connector.fulfil({ ...deleteAda, key: ' ' }))).toMatchObject({ kind: 'schema' });
  });

  it('cannot read back without an export file, and reads the export file when it has one', async () => {
    const { connector } = fulfiller();
    const error = await rejection(connector.read({ entityType: 'Person', key: 'E1', properties: [] }));
    expect(error).toMatchObject({ kind: 'configuration', applied: 'no' });

    const hrPath = join(tempDirectory(), 'people.csv');
    writeFileSync(hrPath, `${header}\nE1,Ada,Lovelace,36,1,,,staff\n`);
    const both = csvConnector({ path: hrPath, fulfilPath: join(tempDirectory(), 'orders.csv') });
    expect(both.capabilities).toMatchObject({ readBack: true, fulfil: true, entityTypes: ['Person', 'Group'] });
    await both.fulfil({ ...createAda, key: 'E2' });
    expect(await both.read({ entityType: 'Person', key: 'E2', properties: ['lastName'] })).toBeNull();
    expect(await both.read({ entityType: 'Person', key: 'E1', properties: ['lastName'] })).toMatchObject({
      values: { lastName: 'Lovelace' },
      links: { groups: ['staff'] },
    });
  });

  it('refuses to export when it only fulfils', async () => {
    const { connector } = fulfiller();
    const error = await rejection(
      connector.export({ entityType: 'Person', mode: 'complete', cookie: null }, async () => {}),
    );
    expect(error).toMatchObject({ kind: 'configuration', applied: 'no' });
  });
});
