import type {
  ConnectionContext,
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
import { ScimClient } from './scim-client.ts';
import { ScimDirectory } from './scim-directory.ts';
import { valuesOf } from './scim-mapping.ts';
import { asListPage } from './scim-resource.ts';
import { parseScimSettings, type ScimEntityTypeSettings, type ScimSettings } from './scim-settings.ts';
import { ScimWriter, type WriteProgress } from './scim-writer.ts';

/**
 * The SCIM 2.0 client connector (RFC 7643/7644) over Node's fetch. Settings:
 * `baseUrl`, `token` (bearer), `timeoutMs` (30000), `pageSize` (100), `incrementalExport` (false),
 * and per entity type `<T>.resource` (User | Group), `<T>.attributes` (`property=scimPath, ...`)
 * and, for a User type, `<T>.membership` (its navigation to the Group type).
 * @throws ConnectorError (kind `configuration`) when a setting is missing or wrong.
 */
export const createScimConnector: ConnectorFactory = (context: ConnectionContext) =>
  new ScimConnector(parseScimSettings(context));

/**
 * Users are keyed by userName and Groups by displayName; the connector resolves them to SCIM ids
 * with `eq` filters. Memberships live on the Group (`members`) and are read in one pass over the
 * groups, since RFC 7644 servers need not offer a `groups` attribute or a filter on members.
 */
export class ScimConnector implements Connector {
  readonly capabilities: ConnectorCapabilities;
  private readonly client: ScimClient;
  private readonly directory: ScimDirectory;
  private readonly writer: ScimWriter;

  constructor(private readonly settings: ScimSettings) {
    this.client = new ScimClient(settings);
    this.directory = new ScimDirectory(this.client);
    this.writer = new ScimWriter(settings, this.client, this.directory);
    this.capabilities = Object.freeze({
      entityTypes: Object.keys(settings.entityTypes),
      completeExport: true,
      // SCIM has no change log: incremental means `meta.lastModified gt`, which few servers filter on.
      incrementalExport: settings.incrementalExport,
      fulfil: true,
      readBack: true,
    });
  }

  async testConnection(): Promise<void> {
    await this.guard('connection test', async () => {
      // A listing, not /ServiceProviderConfig: providers may serve that one without authentication.
      const first = Object.values(this.settings.entityTypes)[0];
      if (!first) {
        await this.client.send({ method: 'GET', path: '/ServiceProviderConfig' });
        return;
      }
      asListPage(
        await this.client.send({ method: 'GET', path: `${first.endpoint}?startIndex=1&count=1` }),
        first.keyAttribute,
      );
    });
  }

  async read(request: ReadRequest): Promise<ObjectState | null> {
    return this.guard(`read of ${request.entityType} ${request.key}`, async () => {
      const type = this.type(request.entityType);
      const found = await this.directory.find(type, request.key);
      if (!found) return null;
      const values = valuesOf(found.resource, type, request.properties, found.answer.site);
      const links: Record<string, string[]> = {};
      if (type.membership) {
        const memberships = await this.directory.memberships(this.groupType(type), this.settings.pageSize);
        links[type.membership.property] = memberships.get(found.resource.id) ?? [];
      }
      return { entityType: request.entityType, key: found.resource.key, values, links };
    });
  }

  async export(request: ExportRequest, onPage: (page: ExportPage) => Promise<void>): Promise<ExportOutcome> {
    return this.guard(`export of ${request.entityType}`, async () => {
      const type = this.type(request.entityType);
      const since = request.mode === 'incremental' && this.settings.incrementalExport ? request.cookie : null;
      const pageSize = request.pageSize ?? this.settings.pageSize;
      // One pass over the groups gives every user's memberships: no request per user.
      const memberships = type.membership
        ? await this.directory.memberships(this.groupType(type), this.settings.pageSize)
        : null;
      const filter =
        since === null ? '' : `&filter=${encodeURIComponent(`meta.lastModified gt ${JSON.stringify(since)}`)}`;
      const properties = Object.keys(type.properties);
      let newest = since;
      let pages = 0;
      try {
        for await (const { resources, answer } of this.directory.pages(type, pageSize, filter)) {
          const objects = resources.map((resource): ObjectState => {
            if (resource.lastModified !== null && isLater(resource.lastModified, newest))
              newest = resource.lastModified;
            return {
              entityType: request.entityType,
              key: resource.key,
              values: valuesOf(resource, type, properties, answer.site),
              links: type.membership ? { [type.membership.property]: memberships?.get(resource.id) ?? [] } : {},
            };
          });
          if (objects.length === 0 && pages > 0) continue;
          pages += 1;
          await onPage({ objects });
        }
      } catch (error) {
        if (since !== null && error instanceof ConnectorError && error.kind === 'schema') {
          throw new ConnectorError(
            `SCIM connection ${this.settings.connectionId}: setting "incrementalExport" is on, but the server ` +
              `refuses the filter meta.lastModified gt (${error.message}); set it to false`,
            { kind: 'configuration' },
            { cause: error },
          );
        }
        throw error;
      }
      return {
        mode: since === null ? 'complete' : 'incremental',
        cookie: this.settings.incrementalExport ? newest : null,
      };
    });
  }

  async fulfil(operation: FulfilOperation): Promise<FulfilOutcome> {
    const progress: WriteProgress = { wrote: false };
    try {
      const type = this.type(operation.entityType);
      switch (operation.kind) {
        case 'create':
          return await this.writer.create(type, operation, progress);
        case 'update':
          return await this.writer.update(type, operation, progress);
        case 'delete':
          return await this.writer.delete(type, operation, progress);
      }
    } catch (error) {
      const classified = asConnectorError(
        error,
        `SCIM connection ${this.settings.connectionId}: ${operation.kind} of ${operation.entityType} ${operation.key}`,
      );
      if (!progress.wrote || classified.applied === 'maybe') throw classified;
      // An earlier request of this operation went through: the change is partly applied.
      throw new ConnectorError(
        `${classified.message} (after part of the ${operation.kind} was applied)`,
        {
          kind: classified.kind,
          applied: 'maybe',
          retryable: classified.retryable,
          ...(classified.retryAfterMs === undefined ? {} : { retryAfterMs: classified.retryAfterMs }),
        },
        { cause: classified },
      );
    }
  }

  async close(): Promise<void> {
    // fetch pools its connections globally; there is nothing of ours to release.
  }

  private type(entityType: string): ScimEntityTypeSettings {
    const type = this.settings.entityTypes[entityType];
    if (!type) {
      throw new ConnectorError(
        `SCIM connection ${this.settings.connectionId} does not serve entity type ${entityType}`,
        { kind: 'configuration' },
      );
    }
    return type;
  }

  private groupType(userType: ScimEntityTypeSettings): ScimEntityTypeSettings {
    return this.type(userType.membership?.groupType ?? '');
  }

  /** Runs a read-side call so that whatever escapes is a classified ConnectorError. */
  private async guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw asConnectorError(error, `SCIM connection ${this.settings.connectionId}: ${what}`);
    }
  }
}

function isLater(candidate: string, current: string | null): boolean {
  if (current === null) return true;
  const a = Date.parse(candidate);
  const b = Date.parse(current);
  return Number.isNaN(b) || (!Number.isNaN(a) && a > b);
}
