import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityType, ScalarType } from '@ordo/core';
import { afterEach } from 'vitest';
import type { ExportOutcome, ExportPage, ExportRequest, ObjectState } from '../../src/connector.ts';
import { CsvConnector, createCsvConnector } from '../../src/csv/csv-connector.ts';

const scalar = (name: string, type: ScalarType = 'string') => ({ kind: 'scalar' as const, name, type });

/** An HR person: every property type a CSV column can carry. */
export const person: EntityType = {
  id: 'Person',
  displayName: 'Person',
  key: 'employeeId',
  properties: {
    employeeId: scalar('employeeId'),
    firstName: scalar('firstName'),
    lastName: scalar('lastName'),
    age: scalar('age', 'int'),
    active: scalar('active', 'bool'),
    hireDate: scalar('hireDate', 'date'),
    manager: { kind: 'navigation', name: 'manager', target: 'Person', multiValued: false },
    groups: { kind: 'navigation', name: 'groups', target: 'Group', multiValued: true },
  },
  context: { start: 'hireDate', end: null },
};

export const group: EntityType = {
  id: 'Group',
  displayName: 'Group',
  key: 'name',
  properties: { name: scalar('name') },
  context: { start: null, end: null },
};

export const entityTypes = { Person: person, Group: group };

export const header = 'employeeId,firstName,lastName,age,active,hireDate,manager,groups';

/** A fresh temporary directory per test, removed after it. */
export function useTempDirectory(): () => string {
  let directory: string | null = null;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = null;
  });
  return () => {
    directory ??= mkdtempSync(join(tmpdir(), 'ordo-csv-'));
    return directory;
  };
}

let connections = 0;
/** A connector created through the public factory, on a unique connection id. */
export function csvConnector(settings: Record<string, string | number | boolean | null>): CsvConnector {
  connections += 1;
  const connector = createCsvConnector({ connectionId: `HrCsv${connections}`, settings, entityTypes });
  if (!(connector instanceof CsvConnector)) throw new Error('the factory should build a CsvConnector');
  return connector;
}

/** Every page an export delivered, with its outcome. */
export interface Exported {
  readonly outcome: ExportOutcome;
  readonly pages: ExportPage[];
  readonly objects: ObjectState[];
  readonly deletedKeys: string[];
}

export async function runExport(
  connector: CsvConnector,
  mode: ExportRequest['mode'],
  cookie: string | null,
  pageSize?: number,
): Promise<Exported> {
  const pages: ExportPage[] = [];
  const outcome = await connector.export(
    { entityType: 'Person', mode, cookie, ...(pageSize ? { pageSize } : {}) },
    async (page) => {
      pages.push(page);
    },
  );
  return {
    outcome,
    pages,
    objects: pages.flatMap((p) => p.objects),
    deletedKeys: pages.flatMap((p) => p.deletedKeys ?? []),
  };
}

/** Runs the promise and returns what it rejected with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
