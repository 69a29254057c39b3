import {
  checkSyncThresholds,
  type ExportUpload,
  type Model,
  orderWork,
  ProvisioningState,
  type Resource,
  verifyReadBack,
} from '@ordo/core';
import type { Clock } from '../../clock.ts';
import type { Stores } from '../../storage/stores.ts';
import type { SyncVerdict } from '../../storage/sync-store.ts';
import { resourceIdFor } from '../resource-id.ts';
import { applyOrderMoves, type OrderMove } from './apply-order-moves.ts';
import { objectToResource } from './object-resource.ts';

export type SyncResult =
  | {
      readonly status: 'completed';
      readonly runId: string;
      readonly inserted: number;
      readonly updated: number;
      readonly deleted: number;
      readonly unchanged: number;
      /** Executed orders this synchronization proved applied. */
      readonly verified: number;
    }
  | { readonly status: 'blocked'; readonly runId: string; readonly verdicts: readonly SyncVerdict[] };

export class SyncError extends Error {
  readonly code = 'SYNC_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`the export cannot be synchronized; nothing was changed:\n${problems.join('\n')}`);
    this.name = 'SyncError';
  }
}

/**
 * Synchronizes an export (reference spec §4.1 steps 1–3): a complete export replaces what Ordo
 * holds for the entity type, an incremental one applies its changes. Changed resources are marked
 * dirty for the next incremental computation. A run beyond the connector's thresholds changes
 * nothing until a person resumes it; the next export of the same entity type then goes through.
 * Executed orders whose target now shows what they wrote become Verified (the backstop of
 * DESIGN.md §2, decision 4); a mismatch is left to the read-back and the watchdog, since an
 * export may have been read before the write landed.
 */
export async function synchronizeExport(
  deps: {
    stores: Pick<Stores, 'resources' | 'sync' | 'orders' | 'transaction'>;
    clock: Clock;
    newId: () => string;
  },
  model: Model,
  upload: ExportUpload,
): Promise<SyncResult> {
  const problems = validate(model, upload);
  if (problems.length) throw new SyncError(problems);
  const { stores } = deps;
  const startedAt = deps.clock.now();
  const runId = deps.newId();

  const existing = await loadAll(stores, upload.entityType);
  const incoming = upload.objects.map((o) => objectToResource(model, o));
  const changed: Resource[] = [];
  let inserted = 0;
  for (const resource of incoming) {
    const before = existing.get(resource.id);
    if (!before) inserted += 1;
    if (!before || !sameResource(before, resource)) changed.push(resource);
  }
  const incomingIds = new Set(incoming.map((r) => r.id));
  const deletedIds =
    upload.mode === 'complete'
      ? [...existing.keys()].filter((id) => !incomingIds.has(id))
      : upload.deletedKeys.map((key) => resourceIdFor(upload.entityType, key)).filter((id) => existing.has(id));
  const counts = { inserted, updated: changed.length - inserted, deleted: deletedIds.length };

  const connector = model.connectors[upload.connector];
  const thresholds = connector
    ? checkSyncThresholds(connector.syncThresholds, counts, existing.size)
    : { blocked: false, verdicts: [] };
  const base = {
    id: runId,
    connector: upload.connector,
    connection: upload.connection,
    entityType: upload.entityType,
    mode: upload.mode,
    ...counts,
    verdicts: thresholds.verdicts,
    startedAt,
    resumedBy: null,
  };
  if (thresholds.blocked) {
    const resumed = await stores.sync.latest(upload.connection, upload.entityType, 'resumed');
    if (!resumed || !(await stores.sync.setStatus(resumed.id, 'resumed', 'consumed'))) {
      await stores.sync.record({ ...base, status: 'blocked', finishedAt: null });
      return { status: 'blocked', runId, verdicts: thresholds.verdicts };
    }
  }

  await stores.transaction(async (tx) => {
    await tx.resources.upsertMany(changed, { dirty: true });
    if (deletedIds.length) {
      // Owners see their target gone through the dirty flag of the links' owners: mark first.
      await tx.resources.markDirty(deletedIds);
      await tx.resources.deleteMany(deletedIds);
    }
    await tx.sync.saveState({
      connector: upload.connector,
      connection: upload.connection,
      entityType: upload.entityType,
      cookie: upload.cookie,
      at: startedAt,
      complete: upload.mode === 'complete',
    });
    await tx.sync.record({ ...base, status: 'completed', finishedAt: deps.clock.now() });
  });
  const verified = await verifyExecutedOrders(deps, model, upload);
  return {
    status: 'completed',
    runId,
    ...counts,
    unchanged: incoming.length - changed.length,
    verified,
  };
}

/** A person lets the last blocked synchronization of a connection's entity type through. */
export async function resumeSynchronization(
  deps: { stores: Pick<Stores, 'sync'> },
  connection: string,
  entityType: string,
  by: string,
): Promise<boolean> {
  const blocked = await deps.stores.sync.latest(connection, entityType, 'blocked');
  return blocked ? deps.stores.sync.setStatus(blocked.id, 'blocked', 'resumed', by) : false;
}

function validate(model: Model, upload: ExportUpload): string[] {
  const problems: string[] = [];
  const connector = model.connectors[upload.connector];
  if (!connector) problems.push(`connector ${upload.connector} is not in the configuration`);
  else {
    if (!connector.connections[upload.connection]) {
      problems.push(`connection ${upload.connection} is not a connection of ${upload.connector}`);
    }
    if (!connector.entityTypes.includes(upload.entityType)) {
      problems.push(`entity type ${upload.entityType} is not served by ${upload.connector}`);
    }
  }
  const seen = new Set<string>();
  upload.objects.forEach((object, index) => {
    if (object.entityType !== upload.entityType) {
      problems.push(`object ${index + 1}: entity type ${object.entityType}, expected ${upload.entityType}`);
    }
    if (typeof object.key !== 'string' || object.key === '') problems.push(`object ${index + 1}: empty key`);
    else if (seen.has(object.key)) problems.push(`object ${index + 1}: duplicate key ${object.key}`);
    seen.add(object.key);
  });
  return problems.slice(0, 50);
}

async function loadAll(stores: Pick<Stores, 'resources'>, entityType: string): Promise<Map<string, Resource>> {
  const all = new Map<string, Resource>();
  let afterId: string | undefined;
  for (;;) {
    const page = await stores.resources.listByEntityType(entityType, { limit: 5000, afterId });
    for (const r of page) all.set(r.id, r);
    if (page.length < 5000) return all;
    afterId = page[page.length - 1]?.id;
  }
}

function sameResource(a: Resource, b: Resource): boolean {
  return canonical(a.values) === canonical(b.values) && canonicalLinks(a.links) === canonicalLinks(b.links);
}

function canonical(values: Resource['values']): string {
  return JSON.stringify(
    Object.keys(values)
      .filter((k) => values[k] !== null && values[k] !== undefined)
      .sort()
      .map((k) => [k, values[k]]),
  );
}

function canonicalLinks(links: Resource['links']): string {
  return JSON.stringify(
    Object.keys(links)
      .filter((k) => (links[k]?.length ?? 0) > 0)
      .sort()
      .map((k) => [k, [...(links[k] ?? [])].sort()]),
  );
}

async function verifyExecutedOrders(
  deps: { stores: Pick<Stores, 'orders' | 'transaction'>; clock: Clock },
  model: Model,
  upload: ExportUpload,
): Promise<number> {
  const byKey = new Map(upload.objects.map((o) => [o.key, o]));
  const deleted = new Set(upload.deletedKeys);
  const moves: OrderMove[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await deps.stores.orders.list({
      state: ProvisioningState.Executed,
      connector: upload.connector,
      limit: 1000,
      afterId,
    });
    for (const order of page) {
      if (model.resourceTypes[order.resourceTypeId]?.targetEntityType !== upload.entityType) continue;
      let work: ReturnType<typeof orderWork>;
      try {
        work = orderWork(model, order);
      } catch {
        continue;
      }
      const key = order.targetKey ?? work.operation.key;
      if (!key) continue;
      const object = byKey.get(key) ?? null;
      // Absence proves a deletion only when the export is complete or names the key as deleted.
      if (object === null && upload.mode === 'incremental' && !deleted.has(key)) continue;
      if (!verifyReadBack(work.expectation, object).verified) continue;
      moves.push({
        order,
        expected: { from: ProvisioningState.Executed },
        to: ProvisioningState.Verified,
        events: ['verified'],
        change: { finishedAt: deps.clock.now() },
        message: 'verified by synchronization',
        createOnly: work.createOnly,
        ...(order.changeType === 'added' && object
          ? { createdTargetId: resourceIdFor(object.entityType, object.key) }
          : {}),
      });
    }
    if (page.length < 1000) break;
    afterId = page[page.length - 1]?.id;
  }
  const applied = await applyOrderMoves(deps.stores, moves, {
    cause: { kind: 'job', id: `sync:${upload.connection}` },
    now: deps.clock.now(),
  });
  return applied.filter(Boolean).length;
}
