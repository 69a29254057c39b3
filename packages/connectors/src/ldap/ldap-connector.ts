import type {
  Connector,
  ConnectorCapabilities,
  ConnectorFactory,
  ExportOutcome,
  ExportPage,
  ExportRequest,
  FulfilOperation,
  FulfilOutcome,
  ObjectState,
  ReadRequest,
} from '../connector.ts';
import { asConnectorError, ConnectorError } from '../connector-error.ts';
import { LdapDirectory } from './ldap-directory.ts';
import { LdapExporter } from './ldap-exporter.ts';
import { LdapReader } from './ldap-reader.ts';
import { LdapWriter } from './ldap-writer.ts';
import { type LdapSettings, parseLdapSettings } from './parse-ldap-settings.ts';

/** Carries a failure of the export's page consumer through the connector untouched. */
class ConsumerFailure extends Error {
  constructor(readonly original: unknown) {
    super('export consumer failed');
  }
}

/**
 * The connector for LDAP directories (OpenLDAP, 389 Directory Server, Active Directory's LDAP
 * interface...), over ldapts. Entity types are accounts or groups under a container; keys are
 * DNs; memberships are member values of group entries. Settings: {@link createLdapConnector};
 * writes: LdapWriter; exports and what incremental exports cannot see: LdapExporter.
 */
export class LdapConnector implements Connector {
  readonly capabilities: ConnectorCapabilities;
  private readonly directory: LdapDirectory;
  private readonly reader: LdapReader;
  private readonly writer: LdapWriter;
  private readonly exporter: LdapExporter;

  constructor(settings: LdapSettings) {
    this.directory = new LdapDirectory(settings);
    this.reader = new LdapReader(this.directory);
    this.writer = new LdapWriter(this.directory);
    this.exporter = new LdapExporter(this.directory);
    this.capabilities = {
      entityTypes: Object.keys(settings.entityTypes),
      completeExport: true,
      incrementalExport: true,
      fulfil: true,
      readBack: true,
    };
  }

  /** Binds and checks that every configured container exists. */
  async testConnection(): Promise<void> {
    const session = this.directory.session();
    try {
      for (const mapping of this.directory.mappings.values()) {
        const { container } = mapping.settings;
        if (!(await this.directory.readEntry(session, container, []))) {
          throw new ConnectorError(
            `connection ${this.directory.connectionId}: the container of ${mapping.id}, ${container}, does not exist`,
            { kind: 'configuration' },
          );
        }
      }
    } catch (error) {
      throw asConnectorError(error, `connection ${this.directory.connectionId}: connection test`);
    } finally {
      session.end();
    }
  }

  async export(request: ExportRequest, onPage: (page: ExportPage) => Promise<void>): Promise<ExportOutcome> {
    try {
      return await this.exporter.export(request, async (page) => {
        try {
          await onPage(page);
        } catch (error) {
          throw new ConsumerFailure(error);
        }
      });
    } catch (error) {
      if (error instanceof ConsumerFailure) throw error.original;
      throw asConnectorError(error, `connection ${this.directory.connectionId}: export of ${request.entityType}`);
    }
  }

  async fulfil(operation: FulfilOperation): Promise<FulfilOutcome> {
    try {
      switch (operation.kind) {
        case 'create':
          return await this.writer.create(operation);
        case 'update':
          return await this.writer.update(operation);
        case 'delete':
          return await this.writer.delete(operation);
      }
    } catch (error) {
      throw asConnectorError(error, `connection ${this.directory.connectionId}: ${operation.kind} of ${operation.key}`);
    }
  }

  async read(request: ReadRequest): Promise<ObjectState | null> {
    try {
      return await this.reader.read(request);
    } catch (error) {
      throw asConnectorError(error, `connection ${this.directory.connectionId}: read of ${request.key}`);
    }
  }

  async close(): Promise<void> {
    await this.directory.pool.close();
  }
}

/**
 * Creates an LDAP connector; settings are checked at once.
 *
 * Connection settings: `url` (ldap:// or ldaps://, required), `bindDn` / `bindPassword`
 * (anonymous when absent), `timeoutMs` (30000, per request), `connectTimeoutMs` (5000),
 * `startTls` (false), `tlsCaFile` (PEM of the CA to trust), `tlsRejectUnauthorized` (true),
 * `poolSize` (4 connections), `pageSize` (500, when the export request gives none).
 *
 * Per entity type `<T>.`: `role` (account | group; default group when the type's name says
 * "group"), `container` (required), `objectClasses` (inetOrgPerson | groupOfNames), `rdn`
 * (uid | cn), `filter`, `attribute.<property>` (attribute name when it differs from the
 * property's), `enabledProperty` (enabled) with `enabledAttribute`, `enabledValue`,
 * `disabledValue`, `passwordProperty` with `passwordAttribute` (userPassword); accounts:
 * `membership` (navigation properties holding group memberships; default all those to group
 * types); groups: `memberAttribute` (member | uniqueMember | memberUid, from the object classes),
 * `memberValue` (dn, or the account attribute stored: uid for memberUid), `emptyMember` (self |
 * none | a DN: the placeholder that keeps a group with a required member attribute valid).
 *
 * @throws ConnectorError kind `configuration` naming the setting at fault.
 */
export const createLdapConnector: ConnectorFactory = (context) => new LdapConnector(parseLdapSettings(context));
