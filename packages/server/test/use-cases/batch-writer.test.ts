import { describe, expect, it } from 'vitest';
import { workerBatchWriter } from '../../src/use-cases/worker-batch-writer.ts';
import { exampleOrdo, exampleRecords } from './harness.ts';

describe('writing computed batches in a worker thread', () => {
  it('stores exactly what writing in process stores, ledger included', async () => {
    const inProcess = await exampleOrdo();
    const inWorker = await exampleOrdo();
    const writer = workerBatchWriter(inWorker.databasePath);
    try {
      for (const ordo of [inProcess, inWorker]) await ordo.import(exampleRecords());
      const a = await inProcess.compute({ kind: 'complete' });
      const b = await inWorker.compute({ kind: 'complete' }, writer);
      expect(b).toEqual(a);
      expect(await inWorker.allAssignments()).toEqual(await inProcess.allAssignments());
      const ledger = async (ordo: typeof inProcess) =>
        (await ordo.stores.ledger.byOwner('Person:E00042')).map(({ id: _id, ...entry }) => entry);
      expect(await ledger(inWorker)).toEqual(await ledger(inProcess));
      expect(await inWorker.stores.resources.listDirtyIds(['Person'])).toEqual([]);
    } finally {
      await writer.close();
      await inProcess.close();
      await inWorker.close();
    }
  });

  it('reports a failed write to the computation instead of losing it', async () => {
    const ordo = await exampleOrdo();
    const writer = workerBatchWriter('/nonexistent-dir/\0bad.sqlite');
    try {
      await ordo.import(exampleRecords());
      await expect(ordo.compute({ kind: 'complete' }, writer)).rejects.toThrow();
    } finally {
      await writer.close().catch(() => {});
      await ordo.close();
    }
  });
});
