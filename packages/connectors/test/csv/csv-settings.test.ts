import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/connector-error.ts';
import { createCsvConnector } from '../../src/csv/csv-connector.ts';
import { readCsvSettings } from '../../src/csv/csv-settings.ts';
import { entityTypes } from './csv-fixture.ts';

const settingsOf = (settings: Record<string, string | number | boolean | null>) =>
  readCsvSettings({ connectionId: 'HrCsv', settings, entityTypes });

function configurationError(settings: Record<string, string | number | boolean | null>): ConnectorError {
  try {
    createCsvConnector({ connectionId: 'HrCsv', settings, entityTypes });
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('CSV connection settings', () => {
  it('applies the defaults: comma, UTF-8, the first entity type, same-name columns, state next to the file', () => {
    const settings = settingsOf({ path: '/data/hr/people.csv' });
    expect(settings.delimiter).toBe(',');
    expect(settings.fulfilPath).toBeNull();
    expect(settings.entityTypes).toEqual(['Person']);
    expect(settings.source).toMatchObject({
      path: '/data/hr/people.csv',
      encoding: 'utf-8',
      stateDirectory: join('/data/hr', '.ordo-csv-state'),
    });
    expect(settings.source?.mapping.keyColumn).toBe('employeeId');
    expect(settings.source?.mapping.columns.map((c) => `${c.property}=${c.column}`)).toEqual([
      'employeeId=employeeId',
      'firstName=firstName',
      'lastName=lastName',
      'age=age',
      'active=active',
      'hireDate=hireDate',
      'manager=manager',
      'groups=groups',
    ]);
  });

  it('maps columns, renames the key column and leaves a property out with an empty column', () => {
    const settings = settingsOf({
      path: 'relative/people.csv',
      delimiter: 'tab',
      'Person.keyColumn': 'Matricule',
      'Person.columns': 'firstName=Prénom, lastName = Nom,\nage=',
      stateDirectory: '/var/lib/ordo',
    });
    expect(settings.delimiter).toBe('\t');
    expect(settings.source?.path).toBe(resolve('relative/people.csv'));
    expect(settings.source?.stateDirectory).toBe('/var/lib/ordo');
    const mapping = settings.source?.mapping;
    expect(mapping?.keyColumn).toBe('Matricule');
    expect(mapping?.columns.map((c) => `${c.property}=${c.column}`)).toEqual([
      'employeeId=Matricule',
      'firstName=Prénom',
      'lastName=Nom',
      'active=active',
      'hireDate=hireDate',
      'manager=manager',
      'groups=groups',
    ]);
  });

  it('takes a tab character as well as the word tab', () => {
    expect(settingsOf({ path: '/x.csv', delimiter: '\t' }).delimiter).toBe('\t');
  });

  it('serves every entity type for fulfilment, and the file’s one for export', () => {
    expect(settingsOf({ fulfilPath: '/tmp/orders.csv' }).entityTypes).toEqual(['Person', 'Group']);
    expect(settingsOf({ path: '/tmp/groups.csv', entityType: 'Group' }).source?.mapping.keyColumn).toBe('name');
  });

  it.each([
    [{}, /setting "path" or "fulfilPath" is required/],
    [{ path: 42 }, /setting "path" must be text, not number/],
    [{ path: ' ' }, /setting "path" is empty/],
    [{ path: '/x.csv', delimiter: ';;' }, /setting "delimiter" must be one character/],
    [{ path: '/x.csv', delimiter: '"' }, /setting "delimiter" must be one character/],
    [{ path: '/x.csv', encoding: 'klingon-8' }, /setting "encoding" names no encoding/],
    [{ path: '/x.csv', entityType: 'Robot' }, /setting "entityType" names "Robot", which is not among/],
    [{ path: '/x.csv', delimitre: ';' }, /setting "delimitre" is unknown/],
    [{ path: '/x.csv', 'Person.colums': 'a=b' }, /setting "Person.colums" is unknown/],
    [
      { path: '/x.csv', 'Group.keyColumn': 'id' },
      /setting "Group.keyColumn" is for entity type "Group", but the file serves "Person"/,
    ],
    [{ path: '/x.csv', 'Person.columns': 'mail' }, /needs property=column pairs/],
    [{ path: '/x.csv', 'Person.columns': 'mail=Mail' }, /maps "mail", which is not a property of Person/],
    [{ path: '/x.csv', 'Person.columns': 'age=A,age=B' }, /maps "age" twice/],
    [{ path: '/x.csv', 'Person.columns': 'employeeId=' }, /cannot leave out the key property/],
    [{ path: '/x.csv', 'Person.columns': 'employeeId=Id', 'Person.keyColumn': 'Matricule' }, /says "Matricule" but/],
    [{ fulfilPath: '/x.csv', 'Person.keyColumn': 'id' }, /only applies to an exported file/],
    [{ path: '/data/x.csv', fulfilPath: '/data/../data/x.csv' }, /"fulfilPath" is the exported file itself/],
  ])('refuses %j as a configuration error naming the connection and the setting', (settings, message) => {
    const error = configurationError(settings);
    expect(error).toMatchObject({ kind: 'configuration', applied: 'no', retryable: false });
    expect(error.message).toMatch(/^connection HrCsv: /);
    expect(error.message).toMatch(message);
  });
});
