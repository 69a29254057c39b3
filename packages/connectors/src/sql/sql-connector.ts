import type { ScalarValue } from '@ordo/core';
import { type Kysely, sql, type Transaction } from 'kysely';
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
import { ConnectorError } from '../connector-error.ts';
import { openSqlDatabase, type SqlDatabase, type SqlQueryListener } from './open-sql-database.ts';
import { classifySqlError, toConnectorError } from './sql-error.ts';
import {
  parseSqlSettings,
  type SqlColumnMapping,
  type SqlEntityMapping,
  type SqlLinkMapping,
  type SqlSettings,
} from './sql-settings.ts';
import { type ColumnValue, fromColumnValue, keyText, sameValue, toColumnValue } from './sql-values.ts';

type Executor = Kysely<SqlDatabase> | Transaction<SqlDatabase>;
type Row = Record<string, unknown>;

/** A value to write: the property's mapping, the Ordo value (for comparing) and what is bound. */
interface ColumnWrite {
  readonly mapping: SqlColumnMapping;
  readonly value: ScalarValue;
  readonly bound: ColumnValue;
}

/** Options for tests and diagnostics; the agent calls the factory with the context only. */
export interface SqlConnectorOptions {
  /** Receives the SQL text of every query (no parameters). */
  readonly onQuery?: SqlQueryListener;
}

/** Deadlocks and lost create races are retried inside the connector this many times in all. */
const maxAttempts = 3;
const defaultPageSize = 1000;
/** A page's keys are bound as parameters of the link queries; engines cap their number. */
const maxPageSize = 5000;

/**
 * The SQL connector: one table per entity type, one link table per navigation, on PostgreSQL,
 * MariaDB/MySQL or SQLite, through Kysely with parameterised queries only.
 *
 * Settings (flat; `<T>` is an entity type the connection serves, `<N>` one of its navigations):
 * - `dialect`: `postgres` | `mariadb` | `mysql` | `sqlite` (required).
 * - `url`: `postgres://user@host:port/db` or `mysql://user@host:port/db` (server dialects).
 * - `path`: the SQLite database file, which must exist (sqlite).
 * - `password`: the resolved secret; wins over a password in the URL; never logged or echoed.
 * - `poolSize` (default 10), `connectTimeoutMs` (default 10000).
 * - `<T>.table`: the table, `name` or `schema.name` (required). Every scalar property of `<T>`
 *   has a column in it (named after the property unless `<T>.columns` says otherwise).
 * - `<T>.keyColumn`: the primary key column (default: the key property's column).
 * - `<T>.columns`: `property=column,...` where a column is not named after its property.
 * - `<T>.incrementalColumn`: a timestamp or increasing version column that the database sets on
 *   every insert and update (a default plus a trigger or `ON UPDATE`). With it, an incremental
 *   export returns the rows whose value is above the cookie (the highest value of the previous
 *   export). It does not see deletions, nor link changes that leave the row untouched: the
 *   complete export is the backstop for those.
 * - `<T>.<N>.linkTable`, `<T>.<N>.sourceColumn` (holds this object's key),
 *   `<T>.<N>.targetColumn` (holds the linked object's key). Navigations without a link table
 *   are not read or written.
 *
 * Identifiers must match `^[A-Za-z_][A-Za-z0-9_]*$` (tables may be `schema.table`); they are
 * quoted by Kysely, values are always bound as parameters.
 */
export const createSqlConnector: ConnectorFactory = (context: ConnectionContext) => openSqlConnector(context);

/** {@link createSqlConnector} with options. */
export function openSqlConnector(context: ConnectionContext, options: SqlConnectorOptions = {}): SqlConnector {
  const settings = parseSqlSettings(context);
  return new SqlConnector(settings, openSqlDatabase(settings, options.onQuery));
}

export class SqlConnector implements Connector {
  readonly capabilities: ConnectorCapabilities;
  private readonly secrets: readonly string[];

  constructor(
    private readonly settings: SqlSettings,
    private readonly db: Kysely<SqlDatabase>,
  ) {
    const mappings = Object.values(settings.entityTypes);
    this.capabilities = {
      entityTypes: mappings.map((m) => m.entityType),
      completeExport: true,
      // Per entity type: those without an incremental column answer an incremental request completely.
      incrementalExport: mappings.some((m) => m.incrementalColumn !== null),
      fulfil: true,
      readBack: true,
    };
    this.secrets = secretsOf(settings);
  }

  /** Runs `select 1`, then a zero-row select of every mapped table and column (a wrong mapping is `schema`). */
  async testConnection(): Promise<void> {
    await this.guard('connection test', false, async () => {
      await sql`select 1`.execute(this.db);
      for (const mapping of Object.values(this.settings.entityTypes)) {
        const columns = columnsOf(mapping, Object.values(mapping.columns));
        if (mapping.incrementalColumn !== null) columns.push(mapping.incrementalColumn);
        await this.db.selectFrom(mapping.table).select(columns).limit(0).execute();
        for (const link of Object.values(mapping.links)) {
          await this.db.selectFrom(link.table).select([link.sourceColumn, link.targetColumn]).limit(0).execute();
        }
      }
    });
  }

  async export(request: ExportRequest, onPage: (page: ExportPage) => Promise<void>): Promise<ExportOutcome> {
    const mapping = this.mapping(request.entityType);
    const what = `${request.mode} export of ${mapping.entityType}`;
    const pageSize = Math.min(maxPageSize, Math.max(1, Math.floor(request.pageSize ?? defaultPageSize)));
    const incremental = mapping.incrementalColumn;

    // The upper bound is read first: rows changed while the pages are read have a higher value
    // and come with the next export, not never.
    let upTo: string | number | null = null;
    if (incremental !== null) {
      const row = await this.guard(what, false, () =>
        this.db
          .selectFrom(mapping.table)
          .select(sql<unknown>`max(${sql.ref(incremental)})`.as('upper'))
          .executeTakeFirst(),
      );
      upTo = cookieValue(row?.upper);
    }
    const since =
      request.mode === 'incremental' && incremental !== null ? parseCookie(request.cookie, incremental) : null;
    const window = since === null ? null : { column: incremental ?? '', after: since, upTo };

    const columns = Object.values(mapping.columns);
    let last: unknown;
    let pages = 0;
    for (;;) {
      // No row can lie in (since, max] when max is null (empty table).
      const rows =
        window?.upTo === null
          ? []
          : await this.guard(what, false, () => {
              let query = this.db
                .selectFrom(mapping.table)
                .select(columnsOf(mapping, columns))
                .orderBy(mapping.keyColumn)
                .limit(pageSize);
              if (last !== undefined) query = query.where(mapping.keyColumn, '>', last);
              if (window) query = query.where(window.column, '>', window.after).where(window.column, '<=', window.upTo);
              return query.execute();
            });
      if (rows.length > 0 || pages === 0) {
        const objects = await this.guard(what, false, () => this.objectsOf(this.db, mapping, rows, columns));
        await onPage({ objects });
        pages += 1;
      }
      if (rows.length < pageSize) break;
      last = rows[rows.length - 1]?.[mapping.keyColumn];
    }

    // An empty table has no highest value: a usable cookie stays as it was.
    const cookie =
      incremental === null ? null : upTo !== null ? encodeCookie(incremental, upTo) : window && request.cookie;
    return { mode: window ? 'incremental' : 'complete', cookie };
  }

  async fulfil(operation: FulfilOperation): Promise<FulfilOutcome> {
    const mapping = this.mapping(operation.entityType);
    const what = `${operation.kind} of ${mapping.entityType} ${operation.key}`;
    // Everything that can be refused without the database is refused before a transaction opens.
    const key = this.keyValue(mapping, operation.key, what);
    if (operation.kind === 'delete') {
      return this.write(what, false, (trx) => this.delete(trx, mapping, operation.key, key));
    }
    const writes = this.columnWrites(mapping, operation.values, operation.key, what);
    const addLinks = this.linkKeys(mapping, operation.kind === 'create' ? operation.links : operation.addLinks, what);
    const removeLinks = operation.kind === 'create' ? [] : this.linkKeys(mapping, operation.removeLinks, what);

    return this.write(what, operation.kind === 'create', async (trx) => {
      const current = await this.selectRow(
        trx,
        mapping,
        key,
        writes.map((w) => w.mapping),
        true,
      );
      let changed = false;
      if (!current) {
        if (operation.kind === 'update') {
          throw new ConnectorError(`connection ${this.settings.connectionId}: ${what} failed: it does not exist`, {
            kind: 'not_found',
          });
        }
        await trx
          .insertInto(mapping.table)
          .values(Object.fromEntries([[mapping.keyColumn, key], ...writes.map((w) => [w.mapping.column, w.bound])]))
          .execute();
        changed = true;
      } else {
        const differing = writes.filter(
          (w) => !sameValue(w.mapping.type, this.fromColumn(mapping, w.mapping, current), w.value),
        );
        if (differing.length > 0) {
          await trx
            .updateTable(mapping.table)
            .set(Object.fromEntries(differing.map((w) => [w.mapping.column, w.bound])))
            .where(mapping.keyColumn, '=', key)
            .execute();
          changed = true;
        }
      }
      for (const links of addLinks) if (await this.addLinks(trx, links, key)) changed = true;
      for (const links of removeLinks) if (await this.removeLinks(trx, links, key)) changed = true;
      return { changed, key: current ? keyText(current[mapping.keyColumn]) : operation.key };
    });
  }

  async read(request: ReadRequest): Promise<ObjectState | null> {
    const mapping = this.mapping(request.entityType);
    const what = `read of ${mapping.entityType} ${request.key}`;
    const key = this.keyValue(mapping, request.key, what);
    const columns = request.properties.map((property) => this.column(mapping, property, what));
    return this.guard(what, false, async () => {
      const row = await this.selectRow(this.db, mapping, key, columns, false);
      if (!row) return null;
      const [object] = await this.objectsOf(this.db, mapping, [row], columns);
      return object ?? null;
    });
  }

  async close(): Promise<void> {
    await this.guard('close', false, () => this.db.destroy());
  }

  private async delete(trx: Transaction<SqlDatabase>, mapping: SqlEntityMapping, givenKey: string, key: ColumnValue) {
    let changed = false;
    // Link rows go first, ours and those of other entity types pointing at us: a foreign key
    // from the link table would otherwise refuse the delete.
    for (const link of Object.values(mapping.links)) {
      const result = await trx.deleteFrom(link.table).where(link.sourceColumn, '=', key).executeTakeFirst();
      if (result.numDeletedRows > 0n) changed = true;
    }
    for (const other of Object.values(this.settings.entityTypes)) {
      for (const link of Object.values(other.links)) {
        if (link.target !== mapping.entityType) continue;
        const result = await trx.deleteFrom(link.table).where(link.targetColumn, '=', key).executeTakeFirst();
        if (result.numDeletedRows > 0n) changed = true;
      }
    }
    const result = await trx.deleteFrom(mapping.table).where(mapping.keyColumn, '=', key).executeTakeFirst();
    return { changed: changed || result.numDeletedRows > 0n, key: givenKey };
  }

  /**
   * Inserts the links that are missing. The existence check makes this right without a unique
   * constraint on the link table; the conflict clause makes it right under a concurrent insert
   * when there is one (only duplicates are ignored, so a missing target still fails).
   */
  private async addLinks(trx: Transaction<SqlDatabase>, links: LinkKeys, source: ColumnValue): Promise<boolean> {
    const { link, keys } = links;
    if (keys.length === 0) return false;
    const existing = await trx
      .selectFrom(link.table)
      .select(link.targetColumn)
      .where(link.sourceColumn, '=', source)
      .where(
        link.targetColumn,
        'in',
        keys.map((k) => k.bound),
      )
      .execute();
    const present = new Set(existing.map((row) => keyText(row[link.targetColumn])));
    const missing = keys.filter((k) => !present.has(k.text));
    if (missing.length === 0) return false;
    const rows = missing.map((k) => ({ [link.sourceColumn]: source, [link.targetColumn]: k.bound }));
    const insert = trx.insertInto(link.table).values(rows);
    const result = await (this.settings.dialect === 'mysql'
      ? insert.onDuplicateKeyUpdate({ [link.sourceColumn]: sql.ref(link.sourceColumn) })
      : insert.onConflict((conflict) => conflict.doNothing())
    ).executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  private async removeLinks(trx: Transaction<SqlDatabase>, links: LinkKeys, source: ColumnValue): Promise<boolean> {
    const { link, keys } = links;
    if (keys.length === 0) return false;
    const result = await trx
      .deleteFrom(link.table)
      .where(link.sourceColumn, '=', source)
      .where(
        link.targetColumn,
        'in',
        keys.map((k) => k.bound),
      )
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  private selectRow(
    db: Executor,
    mapping: SqlEntityMapping,
    key: ColumnValue,
    columns: readonly SqlColumnMapping[],
    lock: boolean,
  ): Promise<Row | undefined> {
    const query = db.selectFrom(mapping.table).select(columnsOf(mapping, columns)).where(mapping.keyColumn, '=', key);
    // SQLite has no row locks: its transaction holds the whole database once it writes.
    return (lock && this.settings.dialect !== 'sqlite' ? query.forUpdate() : query).executeTakeFirst();
  }

  /** Rows to objects, with the links of all the rows in one query per navigation. */
  private async objectsOf(
    db: Executor,
    mapping: SqlEntityMapping,
    rows: readonly Row[],
    columns: readonly SqlColumnMapping[],
  ): Promise<ObjectState[]> {
    const links = new Map<string, Map<string, string[]>>();
    if (rows.length > 0) {
      const keys = rows.map((row) => row[mapping.keyColumn]);
      for (const link of Object.values(mapping.links)) {
        const linkRows = await db
          .selectFrom(link.table)
          .select([link.sourceColumn, link.targetColumn])
          .where(link.sourceColumn, 'in', keys)
          .orderBy(link.sourceColumn)
          .orderBy(link.targetColumn)
          .execute();
        const bySource = new Map<string, string[]>();
        for (const linkRow of linkRows) {
          const source = keyText(linkRow[link.sourceColumn]);
          let targets = bySource.get(source);
          if (!targets) bySource.set(source, (targets = []));
          targets.push(keyText(linkRow[link.targetColumn]));
        }
        links.set(link.navigation, bySource);
      }
    }
    return rows.map((row) => {
      const key = keyText(row[mapping.keyColumn]);
      return {
        entityType: mapping.entityType,
        key,
        values: Object.fromEntries(columns.map((c) => [c.property, this.fromColumn(mapping, c, row)])),
        links: Object.fromEntries([...links].map(([navigation, bySource]) => [navigation, bySource.get(key) ?? []])),
      };
    });
  }

  private fromColumn(mapping: SqlEntityMapping, column: SqlColumnMapping, row: Row): ScalarValue {
    return fromColumnValue(column.type, row[column.column], `${mapping.entityType}.${column.property}`);
  }

  /** Validates and converts the values of a create or update, before anything is sent. */
  private columnWrites(
    mapping: SqlEntityMapping,
    values: Readonly<Record<string, ScalarValue>>,
    key: string,
    what: string,
  ): ColumnWrite[] {
    const writes: ColumnWrite[] = [];
    for (const [property, value] of Object.entries(values)) {
      const column = this.column(mapping, property, what);
      if (property === mapping.keyProperty) {
        if (!sameValue(mapping.keyType, value, key)) {
          throw new ConnectorError(
            `connection ${this.settings.connectionId}: ${what} refused: the key ${property} cannot be changed here`,
            { kind: 'schema' },
          );
        }
        continue;
      }
      writes.push({ mapping: column, value, bound: this.convert(mapping, column, value, what) });
    }
    return writes;
  }

  private linkKeys(
    mapping: SqlEntityMapping,
    links: Readonly<Record<string, readonly string[]>>,
    what: string,
  ): LinkKeys[] {
    return Object.entries(links).map(([navigation, keys]) => {
      const link = mapping.links[navigation];
      if (!link) {
        throw this.configurationError(
          `${what} refused: navigation "${navigation}" has no link table (setting ${mapping.entityType}.${navigation}.linkTable)`,
        );
      }
      const target = this.mapping(link.target);
      return {
        link,
        keys: [...new Set(keys)].map((text) => ({ text, bound: this.keyValue(target, text, what) })),
      };
    });
  }

  private keyValue(mapping: SqlEntityMapping, key: string, what: string): ColumnValue {
    const column = mapping.columns[mapping.keyProperty] ?? {
      property: mapping.keyProperty,
      column: mapping.keyColumn,
      type: mapping.keyType,
    };
    return this.convert(mapping, column, key, what);
  }

  private convert(mapping: SqlEntityMapping, column: SqlColumnMapping, value: ScalarValue, what: string): ColumnValue {
    try {
      return toColumnValue(this.settings.dialect, column.type, value, `${mapping.entityType}.${column.property}`);
    } catch (error) {
      throw toConnectorError(error, this.context(what, false));
    }
  }

  private column(mapping: SqlEntityMapping, property: string, what: string): SqlColumnMapping {
    const column = mapping.columns[property];
    if (!column) {
      throw this.configurationError(`${what} refused: ${mapping.entityType} has no scalar property "${property}"`);
    }
    return column;
  }

  private mapping(entityType: string): SqlEntityMapping {
    const mapping = this.settings.entityTypes[entityType];
    if (!mapping) throw this.configurationError(`does not serve entity type "${entityType}"`);
    return mapping;
  }

  private configurationError(problem: string): ConnectorError {
    return new ConnectorError(`connection ${this.settings.connectionId}: ${problem}`, { kind: 'configuration' });
  }

  /** Runs a write in a transaction, again after a deadlock or a lost create race (nothing was applied). */
  private async write<T>(
    what: string,
    isCreate: boolean,
    work: (trx: Transaction<SqlDatabase>) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.transaction(work);
      } catch (error) {
        if (error instanceof ConnectorError) throw error;
        const failure = classifySqlError(error);
        const again = failure.conflict || (isCreate && failure.uniqueViolation);
        if (!again || attempt >= maxAttempts) throw toConnectorError(error, this.context(what, true));
      }
    }
  }

  /**
   * A transaction that keeps the error that broke it: Kysely's `transaction()` would throw the
   * rollback's error instead, which on a dead connection hides what happened.
   */
  private async transaction<T>(work: (trx: Transaction<SqlDatabase>) => Promise<T>): Promise<T> {
    const trx = await this.db.startTransaction().execute();
    try {
      const result = await work(trx);
      await trx.commit().execute();
      return result;
    } catch (error) {
      if (!trx.isCommitted && !trx.isRolledBack)
        await trx
          .rollback()
          .execute()
          .catch(() => {});
      throw error;
    }
  }

  private async guard<T>(what: string, writes: boolean, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toConnectorError(error, this.context(what, writes));
    }
  }

  private context(operation: string, writes: boolean) {
    return { connectionId: this.settings.connectionId, operation, writes, secrets: this.secrets };
  }
}

interface LinkKeys {
  readonly link: SqlLinkMapping;
  readonly keys: readonly { readonly text: string; readonly bound: ColumnValue }[];
}

/** The key column and the given columns, each once. */
function columnsOf(mapping: SqlEntityMapping, columns: readonly SqlColumnMapping[]): string[] {
  return [...new Set([mapping.keyColumn, ...columns.map((c) => c.column)])];
}

/**
 * The cookie names its column, so that a cookie from before a change of `incrementalColumn` is
 * not compared with another column's values: it is unusable, and the export runs complete.
 */
function encodeCookie(column: string, value: string | number): string {
  return JSON.stringify({ column, value });
}

function parseCookie(cookie: string | null, column: string): string | number | null {
  if (cookie === null) return null;
  try {
    const parsed: unknown = JSON.parse(cookie);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { column: cookieColumn, value } = parsed as { column?: unknown; value?: unknown };
    if (cookieColumn !== column) return null;
    return typeof value === 'string' || typeof value === 'number' ? value : null;
  } catch {
    return null;
  }
}

/** The highest value as the database gave it (timestamps arrive as text at full precision). */
function cookieValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** The password, as given and as it may appear URL-encoded. */
function secretsOf(settings: SqlSettings): string[] {
  const secrets = new Set<string>();
  const add = (secret: string | null) => {
    if (!secret) return;
    secrets.add(secret);
    secrets.add(encodeURIComponent(secret));
  };
  add(settings.password);
  if (settings.url) {
    try {
      add(decodeURIComponent(new URL(settings.url).password));
    } catch {
      // checked at creation; nothing to hide in an unparsable URL
    }
  }
  return [...secrets];
}
