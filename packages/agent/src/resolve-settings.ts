import { readFileSync } from 'node:fs';
import { ConnectorError } from '@ordo/connectors';
import type { Connection } from '@ordo/core';

export type ResolvedSettings = Readonly<Record<string, string | number | boolean | null>>;

/**
 * Replaces a connection's secret references (`env:NAME`, `file:PATH`) with their values. Only the
 * agent does this, at the moment it opens a connector; the values never go back to the server.
 * A missing secret is a configuration error naming the setting and the reference, not the value.
 */
export function resolveSettings(
  connection: Connection,
  readSecretVariable: (name: string) => string | undefined,
): ResolvedSettings {
  const resolved: Record<string, string | number | boolean | null> = {};
  for (const [name, value] of Object.entries(connection.settings)) {
    if (value !== null && typeof value === 'object') {
      if ('env' in value) {
        const secret = readSecretVariable(value.env);
        if (secret === undefined) {
          throw new ConnectorError(
            `connection ${connection.id}: setting "${name}" refers to environment variable ${value.env}, which is not set on this agent`,
            { kind: 'configuration' },
          );
        }
        resolved[name] = secret;
      } else {
        try {
          resolved[name] = readFileSync(value.file, 'utf8').trim();
        } catch (error) {
          const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
          throw new ConnectorError(
            `connection ${connection.id}: setting "${name}" refers to file ${value.file}, which cannot be read (${reason})`,
            { kind: 'configuration' },
          );
        }
      }
    } else {
      resolved[name] = value;
    }
  }
  return resolved;
}
