import type { ConnectionKind } from '@ordo/core';
import type { ConnectionContext, Connector, ConnectorFactory } from './connector.ts';
import { ConnectorError } from './connector-error.ts';
import { createCsvConnector } from './csv/csv-connector.ts';
import { createLdapConnector } from './ldap/ldap-connector.ts';
import { createMemoryConnector } from './memory/memory-connector.ts';
import { createScimConnector } from './scim/scim-connector.ts';
import { createSqlConnector } from './sql/sql-connector.ts';

/**
 * The built-in connectors by connection kind. `manual` has none: its orders go to people through
 * the server's manual provisioning queue and never reach an agent.
 */
const factories: Partial<Record<ConnectionKind, ConnectorFactory>> = {
  csv: createCsvConnector,
  ldap: createLdapConnector,
  memory: createMemoryConnector,
  scim: createScimConnector,
  sql: createSqlConnector,
};

/** Opens the connector of a connection kind; a kind without one is a configuration error. */
export function createConnector(kind: ConnectionKind, context: ConnectionContext): Connector {
  const factory = factories[kind];
  if (!factory) {
    throw new ConnectorError(`connection ${context.connectionId}: no connector runs connections of kind "${kind}"`, {
      kind: 'configuration',
    });
  }
  return factory(context);
}
