import { asConnectorError, type Connector } from '@ordo/connectors';
import type { AgentConfiguration, AgentPort, ObjectState } from '@ordo/core';

interface ExportTarget {
  readonly connector: string;
  readonly connection: string;
  readonly entityType: string;
}

/**
 * Runs the exports of the agent's connections and uploads them for synchronization: a complete
 * export at start (or incremental when the server holds a cookie), incremental ones at an
 * interval and whenever a connector reports a change of its source. One export per connection
 * and entity type at a time; a change during an export asks for one more.
 */
export class ExportRunner {
  private readonly targets: ExportTarget[];
  private readonly busy = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private stopWatching: (() => void)[] = [];
  private stopped = false;
  private readonly lastComplete = new Map<string, number>();
  /** Targets a job asked for: their next export is uploaded even when nothing changed. */
  private readonly forced = new Set<string>();
  /** Export requests already served, by job id and connector. */
  private readonly served = new Set<string>();
  private requestTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: {
      port: AgentPort;
      configuration: AgentConfiguration;
      connectorFor: (connection: string) => Connector;
      log: (line: string) => void;
      intervalMs: number | null;
      /**
       * A complete export at least this often, even when incremental ones work: they cannot see
       * deletions in every system (LDAP), so a complete one is the backstop. null = never.
       */
      completeEveryMs: number | null;
      now: () => number;
      /** How often to ask the server for exports that running jobs wait for (default 2 s; 0 = never). */
      requestPollMs?: number;
    },
  ) {
    this.targets = deps.configuration.connectors.flatMap((connector) =>
      connector.connections
        .filter((c) => c.kind !== 'manual' && c.disabled !== 'export')
        .flatMap((connection) =>
          connector.entityTypes.map((entityType) => ({
            connector: connector.id,
            connection: connection.id,
            entityType,
          })),
        ),
    );
  }

  start(): void {
    void this.runAll('incremental');
    this.startServingRequests();
    if (this.deps.intervalMs) this.timer = setInterval(() => void this.runAll('incremental'), this.deps.intervalMs);
    for (const connection of new Set(this.targets.map((t) => t.connection))) {
      const connector = this.tryConnector(connection);
      if (!connector?.watch) continue;
      this.stopWatching.push(
        connector.watch(() => {
          for (const target of this.targets.filter((t) => t.connection === connection))
            void this.run(target, 'incremental');
        }),
      );
    }
  }

  /** Polls for the exports running jobs wait for (also when the agent exports on no interval). */
  startServingRequests(): void {
    const requestPollMs = this.deps.requestPollMs ?? 2_000;
    if (this.requestTimer || requestPollMs <= 0 || !this.deps.port.exportRequests) return;
    this.requestTimer = setInterval(() => void this.serveExportRequests(), requestPollMs);
    this.requestTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.requestTimer) clearInterval(this.requestTimer);
    for (const stop of this.stopWatching) stop();
    await Promise.allSettled([...this.busy.values()]);
  }

  /**
   * Runs the exports running jobs wait for: every target of each requested connector, uploaded
   * even when nothing changed so that the job sees its export done. Each request is served once.
   */
  async serveExportRequests(): Promise<void> {
    let requests: Awaited<ReturnType<NonNullable<AgentPort['exportRequests']>>>;
    try {
      requests = (await this.deps.port.exportRequests?.()) ?? [];
    } catch (error) {
      this.deps.log(`cannot fetch export requests: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const runs: Promise<void>[] = [];
    for (const request of requests) {
      const key = `${request.jobId}\u0000${request.since}\u0000${request.connector}`;
      if (this.served.has(key)) continue;
      this.served.add(key);
      this.deps.log(`job ${request.jobId} asks for a ${request.mode} export of ${request.connector}`);
      for (const target of this.targets.filter((t) => t.connector === request.connector)) {
        this.forced.add(`${target.connection}\u0000${target.entityType}`);
        runs.push(this.run(target, request.mode));
      }
    }
    await Promise.all(runs);
  }

  async runAll(mode: 'complete' | 'incremental'): Promise<void> {
    await Promise.all(this.targets.map((t) => this.run(t, mode)));
  }

  private run(target: ExportTarget, mode: 'complete' | 'incremental'): Promise<void> {
    const id = `${target.connection}\u0000${target.entityType}`;
    const current = this.busy.get(id);
    if (current) {
      this.again.add(id);
      return current;
    }
    const task = (async () => {
      do {
        this.again.delete(id);
        if (this.stopped) return;
        await this.exportOnce(target, mode);
      } while (this.again.has(id));
    })().finally(() => this.busy.delete(id));
    this.busy.set(id, task);
    return task;
  }

  private tryConnector(connection: string): Connector | null {
    try {
      return this.deps.connectorFor(connection);
    } catch (error) {
      this.deps.log(`cannot open connection ${connection}: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  private async exportOnce(target: ExportTarget, requested: 'complete' | 'incremental'): Promise<void> {
    const id = `${target.connection}\u0000${target.entityType}`;
    const every = this.deps.completeEveryMs;
    const last = this.lastComplete.get(id);
    const mode = every !== null && last !== undefined && this.deps.now() - last >= every ? 'complete' : requested;
    const forced = this.forced.delete(id);
    const connector = this.tryConnector(target.connection);
    if (!connector || !connector.capabilities.entityTypes.includes(target.entityType)) return;
    if (!connector.capabilities.completeExport && !connector.capabilities.incrementalExport) return;
    try {
      const cookie =
        mode === 'incremental' ? await this.deps.port.exportCookie(target.connection, target.entityType) : null;
      const wanted =
        mode === 'incremental' && cookie !== null && connector.capabilities.incrementalExport
          ? 'incremental'
          : 'complete';
      const objects: ObjectState[] = [];
      const deletedKeys: string[] = [];
      const outcome = await connector.export({ entityType: target.entityType, mode: wanted, cookie }, async (page) => {
        objects.push(...page.objects);
        if (page.deletedKeys) deletedKeys.push(...page.deletedKeys);
      });
      // The clock of the complete backstop starts with the first export of the target.
      if (outcome.mode === 'complete' || !this.lastComplete.has(id)) this.lastComplete.set(id, this.deps.now());
      if (
        !forced &&
        outcome.mode === 'incremental' &&
        objects.length === 0 &&
        deletedKeys.length === 0 &&
        outcome.cookie === cookie
      )
        return;
      const result = await this.deps.port.upload({
        ...target,
        mode: outcome.mode,
        objects,
        deletedKeys,
        cookie: outcome.cookie,
      });
      if (result.status === 'blocked') this.deps.log(result.message);
    } catch (error) {
      this.deps.log(
        `export of ${target.entityType} from ${target.connection} failed: ${asConnectorError(error, 'export').message}`,
      );
    }
  }
}
