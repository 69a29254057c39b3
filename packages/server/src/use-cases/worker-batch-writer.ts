import { Worker } from 'node:worker_threads';
import type { BatchWriter, ComputedBatch } from './batch-writer.ts';

/**
 * Writes computed batches in a worker thread with its own connection to the same database, so
 * that on a 2-core machine storing batch n overlaps evaluating batch n + 1 (the engine and SQLite
 * are both synchronous: in one thread they take turns). Only for a database another connection
 * can open: a SQLite file (WAL lets the computation keep reading) or PostgreSQL.
 */
export function workerBatchWriter(databaseUrl: string): BatchWriter {
  const worker = new Worker(new URL('./batch-writer-worker.mjs', import.meta.url), { workerData: { databaseUrl } });
  let nextId = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let failure: Error | null = null;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on('message', (message: { id: number; error?: { message: string; code?: string } }) => {
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (!pending) return;
    if (message.error) pending.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
    else pending.resolve();
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => {
    if (code !== 0) failAll(new Error(`batch writer worker stopped with exit code ${code}`));
  });
  const send = (message: object) =>
    new Promise<void>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  return {
    write: (batch: ComputedBatch) => send({ type: 'write', batch }),
    async close() {
      try {
        await send({ type: 'close' });
      } finally {
        await worker.terminate();
      }
    },
  };
}
