import { randomUUID } from 'node:crypto';
import { startAgent } from '@ordo/agent';
import type { AgentPort, UploadOutcome } from '@ordo/core';
import {
  AppliedModelCache,
  createAgentService,
  localAgent,
  ProvisioningPipeline,
  type Stores,
  synchronizeExport,
  systemClock,
  WorkSignal,
} from '@ordo/server';

/** One synchronized export: which connection and entity type, and what it changed. */
export interface LoadedExport {
  readonly connection: string;
  readonly entityType: string;
  readonly message: string;
}

/**
 * Loads every system of the embedded agent's connectors the way the agent keeps them current: the
 * agent opens the connectors, runs a complete export of each, and uploads it to the same agent
 * service the server gives it, which synchronizes it. Two things differ from a running server, on
 * purpose: nothing is leased (there are no orders before the first computation), and an upload does
 * not start the event-driven pipeline, because the demo runs the complete computation itself, with
 * its progress and the threshold verdicts shown.
 * @throws when an export fails (the agent only logs those), naming the connection and the cause.
 */
export async function loadThroughExports(stores: Stores): Promise<LoadedExport[]> {
  const models = new AppliedModelCache(stores);
  const signal = new WorkSignal();
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const deps = { stores, clock: systemClock, newId: randomUUID, signal, models };
  const service = createAgentService({ ...deps, pipeline: new ProvisioningPipeline({ ...deps, log }) }, localAgent);
  const loaded: LoadedExport[] = [];
  const port: AgentPort = {
    ...service,
    async lease(request) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(request.waitMs, 100)));
      return [];
    },
    async upload(upload): Promise<UploadOutcome> {
      const { model } = await models.current();
      const result = await synchronizeExport(deps, model, upload);
      if (result.status === 'blocked') {
        return { status: 'blocked', message: `synchronization of ${upload.entityType} blocked by its thresholds` };
      }
      const message = `${result.inserted} inserted, ${result.updated} updated, ${result.deleted} deleted`;
      loaded.push({ connection: upload.connection, entityType: upload.entityType, message });
      return { status: 'completed', message };
    },
  };
  const agent = await startAgent({
    port,
    exports: { enabled: false, intervalMs: null },
    log,
    statusIntervalMs: 60_000,
  });
  try {
    await agent.exportNow('complete');
  } finally {
    await agent.stop();
  }
  const failures = lines.filter((line) => / failed|cannot open|blocked/.test(line));
  if (failures.length > 0) {
    throw Object.assign(new Error(`the demo could not load its systems:\n  ${failures.join('\n  ')}`), {
      code: 'DEMO_EXPORT_FAILED',
    });
  }
  return loaded;
}
