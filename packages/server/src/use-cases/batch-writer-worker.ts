import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../storage/database.ts';
import { createStores } from '../storage/stores.ts';
import { type ComputedBatch, writeComputedBatch } from './batch-writer.ts';

/** The worker side of `workerBatchWriter`: one connection, batches written strictly in order. */
const port = parentPort;
if (!port) throw new Error('batch-writer-worker must run in a worker thread');
const database = await openDatabase({ url: (workerData as { databaseUrl: string }).databaseUrl });
const stores = createStores(database);
let queue = Promise.resolve();

port.on('message', (message: { id: number; type: 'write' | 'close'; batch?: ComputedBatch }) => {
  queue = queue.then(async () => {
    try {
      if (message.type === 'write' && message.batch) await writeComputedBatch(stores, message.batch);
      if (message.type === 'close') await database.close();
      port.postMessage({ id: message.id });
    } catch (error) {
      const { message: text, code } = error as { message?: string; code?: string };
      port.postMessage({ id: message.id, error: { message: text ?? String(error), code } });
    }
  });
});
