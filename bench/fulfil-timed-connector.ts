import { readSecretVariable } from '@ordo/agent';
import { type Connector, createConnector } from '@ordo/connectors';
import type { AgentConfiguration, Connection } from '@ordo/core';
import { resolveSettings } from '../packages/agent/src/resolve-settings.ts';
import type { CallTotals } from './fulfil-observed-port.ts';

/** Time in each connector method, by `<connection>.<method>` (e.g. `DirectoryLdap.fulfil.create`). */
export type ConnectorTimings = Map<string, CallTotals>;

/**
 * The connector the agent would open (the built-in one of the connection's kind, secrets
 * resolved as the agent resolves them), with the wall time of each call added to `timings`.
 * Nothing else changes: `watch` is passed through when the connector has one.
 */
export function openTimedConnector(
  timings: ConnectorTimings,
): (connection: Connection, configuration: AgentConfiguration) => Connector {
  return (connection, configuration) => {
    const connector = configuration.connectors.find((c) => c.connections.some((x) => x.id === connection.id));
    const entityTypes = Object.fromEntries(
      (connector?.entityTypes ?? []).flatMap((id) =>
        configuration.entityTypes[id] ? [[id, configuration.entityTypes[id]]] : [],
      ),
    );
    const opened = createConnector(connection.kind, {
      connectionId: connection.id,
      settings: resolveSettings(connection, readSecretVariable),
      entityTypes,
    });
    return timedConnector(opened, connection.id, timings);
  };
}

/** Wraps a connector so that each call's wall time is summed under `<name>.<method>`. */
export function timedConnector(inner: Connector, name: string, timings: ConnectorTimings): Connector {
  const timed = async <T>(method: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      const key = `${name}.${method}`;
      const entry = timings.get(key) ?? { calls: 0, ms: 0 };
      entry.calls += 1;
      entry.ms += performance.now() - started;
      timings.set(key, entry);
    }
  };
  const connector: Connector = {
    capabilities: inner.capabilities,
    testConnection: () => timed('testConnection', () => inner.testConnection()),
    export: (request, onPage) => timed(`export.${request.mode}`, () => inner.export(request, onPage)),
    fulfil: (operation) => timed(`fulfil.${operation.kind}`, () => inner.fulfil(operation)),
    read: (request) => timed('read', () => inner.read(request)),
    close: () => inner.close(),
  };
  const watch = inner.watch?.bind(inner);
  return watch ? { ...connector, watch } : connector;
}
