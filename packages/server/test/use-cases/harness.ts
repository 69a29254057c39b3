import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Model } from '@ordo/core';
import { type Clock, fixedClock } from '../../src/clock.ts';
import { readConfigurationFolder } from '../../src/config/read-configuration-folder.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate-to-latest.ts';
import { createStores, type Stores } from '../../src/storage/stores.ts';
import { ComputeContext } from '../../src/use-cases/compute-context.ts';
import { type ComputeScope, computeRoleModel } from '../../src/use-cases/compute-role-model.ts';
import { applyConfiguration, loadAppliedModel } from '../../src/use-cases/configuration.ts';
import { generateOrders } from '../../src/use-cases/generate-orders.ts';
import { importResources, type ResourceRecord } from '../../src/use-cases/import-resources.ts';

export const exampleFolder = join(import.meta.dirname, '../../../../examples/basic');

export function exampleRecords(): ResourceRecord[] {
  return JSON.parse(readFileSync(join(exampleFolder, 'data.json'), 'utf8')).resources;
}

export const cause = { kind: 'job' as const, id: 'test' };

/** A fresh SQLite database with the example configuration applied, and shortcuts to the use cases. */
export async function exampleOrdo(now = '2026-11-28T09:00:00.000Z') {
  const path = join(mkdtempSync(join(tmpdir(), 'ordo-flow-')), 'ordo.sqlite');
  const database = await openDatabase({ url: path });
  await migrateToLatest(database);
  const stores = createStores(database);
  const clock = fixedClock(now);
  await applyConfiguration({ stores, clock }, await readConfigurationFolder(exampleFolder), cause);
  const { model } = await loadAppliedModel(stores);
  return new OrdoHarness(stores, clock, model, path);
}

export class OrdoHarness {
  readonly context: ComputeContext;
  constructor(
    readonly stores: Stores,
    readonly clock: Clock & { set(iso: string): void },
    readonly model: Model,
    readonly databasePath: string,
  ) {
    this.context = ComputeContext.create(model, stores);
  }

  import(records: readonly ResourceRecord[]) {
    return importResources({ stores: this.stores }, records, (entityType, property) => {
      const p = this.model.entityTypes[entityType]?.properties[property];
      return p?.kind === 'navigation' ? p.target : null;
    });
  }

  compute(scope: ComputeScope = { kind: 'complete' }) {
    return computeRoleModel({ stores: this.stores, clock: this.clock }, this.context, { scope, cause });
  }

  generate(resume = false) {
    return generateOrders({ stores: this.stores, clock: this.clock }, this.model, { cause, resume, newId: randomUUID });
  }

  /** Every assignment, sorted, for comparing whole states. */
  async allAssignments() {
    const owners = (await this.stores.resources.listByEntityType('Person', { limit: 100_000 })).map((p) => p.id);
    return [...(await this.stores.assignments.loadByOwners(owners)).values()]
      .flat()
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  close() {
    return this.stores.database.close();
  }
}
