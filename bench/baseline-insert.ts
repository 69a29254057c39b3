import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

/*
 * The raw baseline: the cost of just storing a computation's result. The same number of rows as
 * the engine wrote, shaped like an assignment row (natural-key id, owner, states, dates, rule,
 * resource type, property, value), written with plain multi-row INSERTs in one transaction into a
 * scratch table of the same database. The scratch table has what the real assignment tables have
 * (a text primary key and an owner index), so index maintenance is paid on both sides.
 */

const COLUMNS = [
  'id',
  'owner_id',
  'kind',
  'workflow_state',
  'provisioning_state',
  'start_date',
  'end_date',
  'rule_id',
  'resource_type_id',
  'property',
  'value',
] as const;

type BaselineRow = readonly (string | number | null)[];

/** Row `i` of the baseline: about as wide as a navigation assignment of the synthetic organisation. */
function baselineRow(i: number): BaselineRow {
  const owner = `Person:E${String(Math.floor(i / 12) + 1).padStart(7, '0')}`;
  const n = i % 12;
  return [
    `rt:${owner}:DirectoryAccount/n:memberOf:DirectoryGroup:directory-group-${String(n).padStart(2, '0')}`,
    owner,
    'navigation',
    118,
    1,
    '2018-03-14',
    null,
    `member-G${String(n).padStart(2, '0')}`,
    'DirectoryAccount',
    'memberOf',
    `DirectoryGroup:directory-group-${String(n).padStart(2, '0')}`,
  ];
}

const TABLE = 'bench_baseline_assignments';

function createTableSql(textType: string): string[] {
  return [
    `DROP TABLE IF EXISTS ${TABLE}`,
    `CREATE TABLE ${TABLE} (id ${textType} PRIMARY KEY, owner_id ${textType} NOT NULL, kind text NOT NULL,
      workflow_state integer NOT NULL, provisioning_state integer NOT NULL, start_date text, end_date text,
      rule_id text, resource_type_id text NOT NULL, property text, value text)`,
    `CREATE INDEX ${TABLE}_owner_idx ON ${TABLE} (owner_id)`,
  ];
}

function insertSql(rows: number, placeholder: (n: number) => string): string {
  const tuples: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) tuples.push(`(${COLUMNS.map(() => placeholder(++n)).join(', ')})`);
  return `INSERT INTO ${TABLE} (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`;
}

/** Writes `count` rows into a scratch table of the SQLite file at `path`; returns the seconds taken by the writes. */
export function sqliteBaseline(path: string, count: number): number {
  const sqlite = new SqliteDatabase(path);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    for (const statement of createTableSql('text')) sqlite.exec(statement);
    // 500 rows × 11 columns per statement, far under SQLite's 32,766 parameters.
    const rowsPerStatement = 500;
    const full = sqlite.prepare(insertSql(rowsPerStatement, () => '?'));
    const started = performance.now();
    sqlite.transaction(() => {
      for (let from = 0; from < count; from += rowsPerStatement) {
        const rows = Math.min(rowsPerStatement, count - from);
        const statement = rows === rowsPerStatement ? full : sqlite.prepare(insertSql(rows, () => '?'));
        const values: (string | number | null)[] = [];
        for (let i = from; i < from + rows; i++) values.push(...baselineRow(i));
        statement.run(values);
      }
    })();
    const seconds = (performance.now() - started) / 1000;
    sqlite.exec(`DROP TABLE ${TABLE}`);
    return seconds;
  } finally {
    sqlite.close();
  }
}

/** Writes `count` rows into a scratch table of the PostgreSQL database at `url`; returns the seconds taken by the writes. */
export async function postgresBaseline(url: string, count: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of createTableSql('text collate "C"')) await client.query(statement);
    // 1,000 rows × 11 columns per statement, under PostgreSQL's 65,535 parameters.
    const rowsPerStatement = 1000;
    const started = performance.now();
    await client.query('BEGIN');
    for (let from = 0; from < count; from += rowsPerStatement) {
      const rows = Math.min(rowsPerStatement, count - from);
      const values: (string | number | null)[] = [];
      for (let i = from; i < from + rows; i++) values.push(...baselineRow(i));
      await client.query({ name: `baseline-${rows}`, text: insertSql(rows, (n) => `$${n}`), values });
    }
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    await client.query(`DROP TABLE ${TABLE}`);
    return seconds;
  } finally {
    await client.end();
  }
}
