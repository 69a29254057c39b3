import type { ScalarValue } from '@ordo/core';
import type {
  ConnectionContext,
  Connector,
  ExportOutcome,
  ExportPage,
  ExportRequest,
  FulfilOperation,
  FulfilOutcome,
  ObjectState,
  ReadRequest,
} from '../connector.ts';
import { ConnectorError } from '../connector-error.ts';

/**
 * A fault the in-memory target injects into the next matching operation. `timeout_after` applies
 * the change and then fails as a timeout would: the case that needs read-before-retry.
 */
export type MemoryFault =
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'timeout_before' }
  | { readonly kind: 'timeout_after' }
  | { readonly kind: 'throttled'; readonly retryAfterMs: number }
  | { readonly kind: 'already_exists' }
  | { readonly kind: 'schema'; readonly message?: string }
  | { readonly kind: 'permission' }
  | { readonly kind: 'delay'; readonly ms: number };

interface StoredObject {
  values: Record<string, ScalarValue>;
  links: Record<string, string[]>;
  /** Sequence number of the last change, for incremental exports. */
  changedAt: number;
}

interface ArmedFault {
  readonly fault: MemoryFault;
  readonly matches: (
    operation: FulfilOperation | { kind: 'read' | 'export'; entityType: string; key?: string },
  ) => boolean;
  remaining: number;
}

/**
 * A managed system held in memory, shared by every connector opened on it (by name), with faults
 * that tests arm. It stands in for no real system: it exists to drive the agent through failures
 * that real systems produce rarely and at random.
 */
export class MemorySystem {
  private readonly objects = new Map<string, Map<string, StoredObject>>();
  private readonly deletions = new Map<string, Map<string, number>>();
  private readonly faults: ArmedFault[] = [];
  private sequence = 0;
  /** Every change applied, in order: tests count them to prove "changed once". */
  readonly applied: FulfilOperation[] = [];

  /** Arms a fault for the next `times` operations that match (default: every operation). */
  armFault(fault: MemoryFault, options: { times?: number; matches?: ArmedFault['matches'] } = {}): void {
    this.faults.push({ fault, matches: options.matches ?? (() => true), remaining: options.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Direct access for tests and fixtures, bypassing faults. */
  get(entityType: string, key: string): ObjectState | null {
    const stored = this.objects.get(entityType)?.get(key);
    return stored ? toState(entityType, key, stored) : null;
  }

  put(state: ObjectState): void {
    this.table(state.entityType).set(state.key, {
      values: { ...state.values },
      links: Object.fromEntries(Object.entries(state.links).map(([p, keys]) => [p, [...keys]])),
      changedAt: ++this.sequence,
    });
  }

  count(entityType: string): number {
    return this.objects.get(entityType)?.size ?? 0;
  }

  keys(entityType: string): string[] {
    return [...(this.objects.get(entityType)?.keys() ?? [])];
  }

  /** @internal used by MemoryConnector */
  takeFault(subject: Parameters<ArmedFault['matches']>[0]): MemoryFault | undefined {
    const armed = this.faults.find((f) => f.remaining > 0 && f.matches(subject));
    if (!armed) return undefined;
    armed.remaining -= 1;
    return armed.fault;
  }

  /** @internal */
  table(entityType: string): Map<string, StoredObject> {
    let table = this.objects.get(entityType);
    if (!table) this.objects.set(entityType, (table = new Map()));
    return table;
  }

  /** @internal */
  touch(entityType: string, key: string, object: StoredObject | null): void {
    this.sequence += 1;
    if (object) object.changedAt = this.sequence;
    else {
      let deleted = this.deletions.get(entityType);
      if (!deleted) this.deletions.set(entityType, (deleted = new Map()));
      deleted.set(key, this.sequence);
    }
  }

  /** @internal */
  currentSequence(): number {
    return this.sequence;
  }

  /** @internal */
  deletedSince(entityType: string, sequence: number): string[] {
    return [...(this.deletions.get(entityType) ?? [])].filter(([, at]) => at > sequence).map(([key]) => key);
  }
}

const systems = new Map<string, MemorySystem>();

/** The named in-memory system, created on first use (connection setting `system`). */
export function memorySystem(name: string): MemorySystem {
  let system = systems.get(name);
  if (!system) systems.set(name, (system = new MemorySystem()));
  return system;
}

export function createMemoryConnector(context: ConnectionContext): Connector {
  const name = context.settings.system;
  if (typeof name !== 'string' || name === '') {
    throw new ConnectorError(
      `connection ${context.connectionId}: setting "system" (the in-memory system's name) is required`,
      {
        kind: 'configuration',
      },
    );
  }
  return new MemoryConnector(memorySystem(name), Object.keys(context.entityTypes));
}

/** The connector over a {@link MemorySystem}, with the same ensure semantics as the real ones. */
export class MemoryConnector implements Connector {
  readonly capabilities;

  constructor(
    private readonly system: MemorySystem,
    entityTypes: readonly string[],
  ) {
    this.capabilities = { entityTypes, completeExport: true, incrementalExport: true, fulfil: true, readBack: true };
  }

  async testConnection(): Promise<void> {
    await this.beforeOperation({ kind: 'read', entityType: '' });
  }

  async export(request: ExportRequest, onPage: (page: ExportPage) => Promise<void>): Promise<ExportOutcome> {
    await this.beforeOperation({ kind: 'export', entityType: request.entityType });
    const since = request.mode === 'incremental' && request.cookie !== null ? Number(request.cookie) : null;
    const end = this.system.currentSequence();
    const pageSize = request.pageSize ?? 500;
    const objects = [...this.system.table(request.entityType)]
      .filter(([, o]) => since === null || (o.changedAt > since && o.changedAt <= end))
      .map(([key, o]) => toState(request.entityType, key, o));
    for (let i = 0; i < objects.length || i === 0; i += pageSize) {
      const deletedKeys = since !== null && i === 0 ? this.system.deletedSince(request.entityType, since) : undefined;
      await onPage({ objects: objects.slice(i, i + pageSize), ...(deletedKeys ? { deletedKeys } : {}) });
    }
    return { mode: since === null ? 'complete' : 'incremental', cookie: String(end) };
  }

  async fulfil(operation: FulfilOperation): Promise<FulfilOutcome> {
    const fault = await this.beforeOperation(operation);
    if (fault?.kind === 'already_exists' && operation.kind === 'create') {
      throw new ConnectorError(`${operation.key} already exists`, { kind: 'already_exists' });
    }
    const outcome = this.apply(operation);
    if (fault?.kind === 'timeout_after') {
      throw new ConnectorError(`timed out after sending ${operation.kind} of ${operation.key}`, {
        kind: 'timeout',
        applied: 'maybe',
      });
    }
    return outcome;
  }

  async read(request: ReadRequest): Promise<ObjectState | null> {
    await this.beforeOperation({ kind: 'read', entityType: request.entityType, key: request.key });
    return this.system.get(request.entityType, request.key);
  }

  async close(): Promise<void> {}

  /** Applies an armed fault that fails before the change; returns one that acts after it. */
  private async beforeOperation(subject: Parameters<MemorySystem['takeFault']>[0]): Promise<MemoryFault | undefined> {
    const fault = this.system.takeFault(subject);
    if (!fault) return undefined;
    const what = 'key' in subject && subject.key ? `${subject.kind} of ${subject.key}` : subject.kind;
    switch (fault.kind) {
      case 'unreachable':
        throw new ConnectorError(`memory system unreachable during ${what}`, { kind: 'unreachable' });
      case 'timeout_before':
        throw new ConnectorError(`timed out before sending ${what}`, { kind: 'timeout', applied: 'no' });
      case 'throttled':
        throw new ConnectorError(`throttled during ${what}`, { kind: 'throttled', retryAfterMs: fault.retryAfterMs });
      case 'schema':
        throw new ConnectorError(fault.message ?? `schema violation during ${what}`, { kind: 'schema' });
      case 'permission':
        throw new ConnectorError(`permission denied for ${what}`, { kind: 'permission' });
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return undefined;
      default:
        return fault;
    }
  }

  private apply(operation: FulfilOperation): FulfilOutcome {
    const table = this.system.table(operation.entityType);
    const existing = table.get(operation.key);
    let changed = false;
    if (operation.kind === 'delete') {
      if (existing) {
        table.delete(operation.key);
        this.system.touch(operation.entityType, operation.key, null);
        changed = true;
      }
    } else if (operation.kind === 'create' && !existing) {
      const created: StoredObject = {
        values: { ...operation.values },
        links: Object.fromEntries(Object.entries(operation.links).map(([p, keys]) => [p, [...new Set(keys)]])),
        changedAt: 0,
      };
      table.set(operation.key, created);
      this.system.touch(operation.entityType, operation.key, created);
      changed = true;
    } else {
      if (!existing) {
        throw new ConnectorError(`${operation.entityType} ${operation.key} does not exist`, { kind: 'not_found' });
      }
      const addLinks = operation.kind === 'create' ? operation.links : operation.addLinks;
      const removeLinks = operation.kind === 'create' ? {} : operation.removeLinks;
      for (const [property, value] of Object.entries(operation.values)) {
        if ((existing.values[property] ?? null) !== value) {
          existing.values[property] = value;
          changed = true;
        }
      }
      for (const [property, keys] of Object.entries(addLinks)) {
        const current: string[] = (existing.links[property] ??= []);
        for (const key of keys) {
          if (current.includes(key)) continue;
          current.push(key);
          changed = true;
        }
      }
      for (const [property, keys] of Object.entries(removeLinks)) {
        const current = existing.links[property] ?? [];
        const kept = current.filter((k) => !keys.includes(k));
        if (kept.length === current.length) continue;
        existing.links[property] = kept;
        changed = true;
      }
      if (changed) this.system.touch(operation.entityType, operation.key, existing);
    }
    if (changed) this.system.applied.push(operation);
    return { changed, key: operation.key };
  }
}

function toState(entityType: string, key: string, stored: StoredObject): ObjectState {
  return {
    entityType,
    key,
    values: { ...stored.values },
    links: Object.fromEntries(Object.entries(stored.links).map(([p, keys]) => [p, [...keys]])),
  };
}
