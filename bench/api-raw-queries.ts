import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

/*
 * The raw baselines of bench:api: for each route, the closest plain SQL that answers the same
 * question on the same database, through better-sqlite3 or pg directly (no Kysely, no store, no
 * HTTP). What every baseline leaves out, on top of what each one says:
 * - HTTP: no Fastify routing, no request parsing or schema validation, no JSON serialisation of the
 *   answer, no loopback round trip (the route figures include all of these);
 * - authentication and authorization: no session lookup, no permission check, no identity scope;
 * - domain shaping: rows are fetched (every column the answer needs), not turned into domain
 *   objects, and state names, keys of linked resources and the like are not resolved.
 * They are a floor, not a competitor: a ratio says how much the layers above the SQL cost.
 */

/** A read-only connection to the benchmark's database. `?` placeholders on both dialects. */
export interface RawReader {
  all(sql: string, params?: readonly (string | number)[]): Promise<unknown[]>;
  close(): Promise<void>;
}

export function sqliteReader(path: string): RawReader {
  // A second connection to the file the server has open (WAL): reads see its committed data.
  const db = new SqliteDatabase(path, { readonly: true });
  db.pragma('cache_size = -131072'); // as the server's own connection (storage/database.ts)
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    async all(sql, params = []) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      return statement.all(...params);
    },
    async close() {
      db.close();
    },
  };
}

export async function postgresReader(url: string): Promise<RawReader> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async all(sql, params = []) {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      return (await client.query(text, [...params])).rows;
    },
    async close() {
      await client.end();
    },
  };
}

/** What the baselines need to know of the organisation (the model's answers, given as plain lists). */
export interface RawContext {
  readonly identityType: string;
  /** Resource types whose owners are of identityType. */
  readonly sourceResourceTypes: readonly string[];
  readonly manualResourceTypes: readonly string[];
  /** Single and composite roles given to identityType. */
  readonly singleRoles: readonly string[];
  readonly compositeRoles: readonly string[];
  /** Target entity type → the resource types that target it (what /api/home reconciles). */
  readonly targetTypes: ReadonlyMap<string, readonly string[]>;
}

const placeholders = (items: readonly unknown[]) => items.map(() => '?').join(', ');
/** /api/home counts each queue up to 100 and says "more": 101 rows answer both. */
const HOME_COUNT = 101;

/** Rows of a queue, at most `limit`: counting stops there, as the home page's does. */
async function countUpTo(reader: RawReader, from: string, params: readonly (string | number)[], limit: number) {
  return reader.all(`select count(*) as n from (select 1 from ${from} limit ${limit}) as q`, params);
}

/**
 * GET /api/home: one bounded count per queue the home page counts, for an Administrator. Does NOT
 * do: the permission check per screen; role review's view of each request (the home page builds
 * the full list items, then counts them); the provisioning-review grouping of nested values under
 * their assigned resource type; and, above all, the orphan finding of resource reconciliation,
 * which reads every target of the entity type, every assigned resource type targeting it and
 * their owners, and classifies the targets with CEL: here an orphan is approximated by "a target
 * no assigned resource type of its resource types points to", with no CEL classification and no
 * owner-gone check.
 */
export async function rawHome(reader: RawReader, c: RawContext): Promise<void> {
  await countUpTo(
    reader,
    `requests join resources on resources.id = requests.owner_id
     where requests.status = 'pending' and resources.entity_type = ?`,
    [c.identityType],
    HOME_COUNT,
  );
  const rts = c.sourceResourceTypes;
  await countUpTo(
    reader,
    `assigned_resource_types where provisioning_state = 5 and resource_type_id in (${placeholders(rts)})`,
    rts,
    HOME_COUNT,
  );
  for (const table of ['assigned_scalars', 'assigned_navigations']) {
    await countUpTo(
      reader,
      `${table} where provisioning_state = 5 and resource_type_id in (${placeholders(rts)})`,
      rts,
      HOME_COUNT,
    );
  }
  await countUpTo(reader, `orders where state = 3 and resource_type_id in (${placeholders(rts)})`, rts, HOME_COUNT);
  const manual = c.manualResourceTypes;
  if (manual.length > 0) {
    await countUpTo(
      reader,
      `orders where state = 2 and resource_type_id in (${placeholders(manual)})`,
      manual,
      HOME_COUNT,
    );
  }
  for (const [table, roles] of [
    ['assigned_single_roles', c.singleRoles],
    ['assigned_composite_roles', c.compositeRoles],
  ] as const) {
    await countUpTo(
      reader,
      `${table} where workflow_state in (1, 3) and role_id in (${placeholders(roles)})`,
      roles,
      HOME_COUNT,
    );
  }
  for (const [targetType, targeting] of c.targetTypes)
    await rawResourceReconciliation(reader, targetType, targeting, HOME_COUNT);
  await reader.all('select count(*) as n from orders where state = 3');
  await countUpTo(reader, `jobs where status = 'running'`, [], HOME_COUNT);
}

/**
 * GET /api/reconciliation/resources/:entityType: the found rows (workflow 1 or 3) of the three
 * provisioned kinds of the resource types targeting it, in id order, and the orphan
 * approximation of rawHome (targets nothing points to). Does NOT do: CEL classification of the
 * targets, the owner-gone check, reconciliation decisions already taken, the merge in id order,
 * nor the owner, target and value keys of each line.
 */
export async function rawResourceReconciliation(
  reader: RawReader,
  targetType: string,
  targeting: readonly string[],
  limit: number,
): Promise<void> {
  for (const table of ['assigned_resource_types', 'assigned_scalars', 'assigned_navigations']) {
    // `resource_type_id || ''` keeps the planner off the resource type index, so that it reads the
    // few found rows through the partial index of migration 0004. Without it SQLite (even after
    // ANALYZE) scans every row of the resource type: 17-40 ms a table at 20,000 identities, which
    // is what the store's listFound pays today. The floor is the better plan.
    await reader.all(
      `select * from ${table} where workflow_state in (1, 3) and resource_type_id || '' in (${placeholders(targeting)})
       order by id limit ${limit}`,
      targeting,
    );
  }
  // NOT IN, not NOT EXISTS: target_resource_id has no index, and both engines hash the subquery once.
  await reader.all(
    `select t.id, t.key from resources t
     where t.entity_type = ?
       and t.id not in (select target_resource_id from assigned_resource_types
                        where resource_type_id in (${placeholders(targeting)}) and target_resource_id is not null)
     order by t.id limit ${limit}`,
    [targetType, ...targeting],
  );
}

/**
 * GET /api/directory/:entityType?q=: identities of the type whose key or values contain the text,
 * in id order, one more than the page (to know there is a next). Does NOT do: the identity scope
 * filter (an Administrator's is "all", a no-op), escaping of % and _ in the text, nor the links
 * of each identity (getMany reads resource_links too).
 */
export async function rawDirectorySearch(
  reader: RawReader,
  entityType: string,
  text: string | null,
  limit: number,
): Promise<void> {
  if (text === null) {
    await reader.all(
      `select id, key, values_json from resources where entity_type = ? order by id limit ${limit + 1}`,
      [entityType],
    );
    return;
  }
  const pattern = `%${text.toLowerCase()}%`;
  await reader.all(
    `select id, key, values_json from resources
     where entity_type = ? and (lower(key) like ? or lower(values_json) like ?)
     order by id limit ${limit + 1}`,
    [entityType, pattern, pattern],
  );
}

/**
 * GET /api/directory/:entityType/:id/permissions: the identity's row, its assignment rows of the
 * five kinds and its order-ledger rows. Does NOT do: pending requests of the identity, keys of
 * navigation values, grouping the ledger into timelines, naming states, sorting.
 */
export async function rawPermissions(reader: RawReader, identityId: string): Promise<void> {
  await reader.all('select id, entity_type, key from resources where id = ?', [identityId]);
  for (const table of [
    'assigned_composite_roles',
    'assigned_single_roles',
    'assigned_resource_types',
    'assigned_scalars',
    'assigned_navigations',
  ]) {
    await reader.all(`select * from ${table} where owner_id = ?`, [identityId]);
  }
  await reader.all('select * from order_ledger where owner_id = ? order by id', [identityId]);
}

/**
 * GET /api/orders (optionally ?state=): a page of orders newest first, with their owner's key.
 * Does NOT do: the page cursor, decoding the JSON columns (scalars, links, assignment ids,
 * last error) into objects.
 */
export async function rawOrders(
  reader: RawReader,
  filter: { states?: readonly number[]; resourceTypeIds?: readonly string[] },
  limit: number,
): Promise<void> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.states) {
    where.push(`state in (${placeholders(filter.states)})`);
    params.push(...filter.states);
  }
  if (filter.resourceTypeIds) {
    where.push(`resource_type_id in (${placeholders(filter.resourceTypeIds)})`);
    params.push(...filter.resourceTypeIds);
  }
  // The page is chosen on (created_at, id) alone, then its rows are read: sorting whole order rows
  // (wide JSON columns) would cost more than the store's own two-step read, and be a poor floor.
  await reader.all(
    `select o.*, r.key as owner_key
     from (select id from orders ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
           order by created_at desc, id desc limit ${limit + 1}) as page
     join orders o on o.id = page.id
     left join resources r on r.id = o.owner_id
     order by o.created_at desc, o.id desc`,
    params,
  );
}

/**
 * GET /api/provisioning-review/:entityType: assigned resource types in 5 Awaiting Approval of the
 * entity type's resource types, in id order, their nested scalars and navigations in 5, and the
 * owners' and targets' keys. Does NOT do: the assigned resource types that are not in 5 themselves
 * but have a nested value in 5 (the route looks in all three tables), the review kind of each
 * line, the keys of navigation values.
 */
export async function rawProvisioningReview(reader: RawReader, resourceTypeIds: readonly string[], limit: number) {
  const heads = (await reader.all(
    `select * from assigned_resource_types
     where provisioning_state = 5 and resource_type_id in (${placeholders(resourceTypeIds)})
     order by id limit ${limit + 1}`,
    resourceTypeIds,
  )) as { id: string; owner_id: string; target_resource_id: string | null }[];
  if (heads.length === 0) return;
  const ids = heads.map((h) => h.id);
  for (const table of ['assigned_scalars', 'assigned_navigations']) {
    await reader.all(
      `select * from ${table} where provisioning_state = 5 and assigned_resource_type_id in (${placeholders(ids)})`,
      ids,
    );
  }
  const keyed = [
    ...new Set(heads.flatMap((h) => (h.target_resource_id ? [h.owner_id, h.target_resource_id] : [h.owner_id]))),
  ];
  await reader.all(`select id, key from resources where id in (${placeholders(keyed)})`, keyed);
}
