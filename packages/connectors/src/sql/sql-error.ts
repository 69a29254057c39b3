import type { ConnectorErrorKind } from '../connector-error.ts';
import { ConnectorError } from '../connector-error.ts';
import { SqlValueError } from './sql-values.ts';

/** What a driver error means for the agent, before we know whether the operation wrote anything. */
export interface SqlFailure {
  readonly kind: ConnectorErrorKind;
  /** The connection broke or timed out while a request may have been in flight. */
  readonly inFlight: boolean;
  /** A unique or primary key violation: an ensure-create that lost a race retries. */
  readonly uniqueViolation: boolean;
  /** Deadlock or serialization failure: the database rolled the transaction back; run it again. */
  readonly conflict: boolean;
}

/** Node socket errors: the server was never reached, so nothing was sent. */
const neverReached = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'SQLITE_CANTOPEN',
]);
const connectionLost = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_NET_READ_ERROR',
  'ER_NET_READ_INTERRUPTED',
  'ER_NET_ERROR_ON_WRITE',
]);

/** MariaDB/MySQL error codes, by mysql2's `code`. */
const mysqlKinds: Readonly<Record<string, ConnectorErrorKind>> = {
  ER_DUP_ENTRY: 'already_exists',
  ER_DUP_KEY: 'already_exists',
  ER_NO_SUCH_TABLE: 'schema',
  ER_BAD_FIELD_ERROR: 'schema',
  ER_BAD_TABLE_ERROR: 'schema',
  ER_DATA_TOO_LONG: 'schema',
  ER_BAD_NULL_ERROR: 'schema',
  ER_NO_DEFAULT_FOR_FIELD: 'schema',
  ER_TRUNCATED_WRONG_VALUE: 'schema',
  ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: 'schema',
  ER_WARN_DATA_OUT_OF_RANGE: 'schema',
  WARN_DATA_TRUNCATED: 'schema',
  ER_NO_REFERENCED_ROW: 'schema',
  ER_NO_REFERENCED_ROW_2: 'schema',
  ER_ROW_IS_REFERENCED: 'schema',
  ER_ROW_IS_REFERENCED_2: 'schema',
  ER_CONSTRAINT_FAILED: 'schema',
  ER_CHECK_CONSTRAINT_VIOLATED: 'schema',
  ER_BAD_DB_ERROR: 'configuration',
  ER_ACCESS_DENIED_ERROR: 'permission',
  ER_DBACCESS_DENIED_ERROR: 'permission',
  ER_TABLEACCESS_DENIED_ERROR: 'permission',
  ER_COLUMNACCESS_DENIED_ERROR: 'permission',
  ER_SPECIFIC_ACCESS_DENIED_ERROR: 'permission',
  ER_ACCESS_DENIED_NO_PASSWORD_ERROR: 'permission',
  ER_OPTION_PREVENTS_STATEMENT: 'permission',
  ER_LOCK_WAIT_TIMEOUT: 'throttled',
  ER_LOCK_DEADLOCK: 'throttled',
  ER_CON_COUNT_ERROR: 'throttled',
  ER_TOO_MANY_USER_CONNECTIONS: 'throttled',
  ER_USER_LIMIT_REACHED: 'throttled',
  ER_QUERY_TIMEOUT: 'timeout',
  ER_STATEMENT_TIMEOUT: 'timeout',
};

/** PostgreSQL SQLSTATEs that the class alone does not settle. */
const postgresKinds: Readonly<Record<string, ConnectorErrorKind>> = {
  '23505': 'already_exists',
  '3D000': 'configuration',
  '42501': 'permission',
  '25006': 'permission',
  '40001': 'throttled',
  '40P01': 'throttled',
  '55P03': 'throttled',
  '53300': 'throttled',
  '57014': 'timeout',
  '57P01': 'unreachable',
  '57P02': 'unreachable',
  '57P03': 'unreachable',
};
/** PostgreSQL SQLSTATE classes (first two characters). */
const postgresClasses: Readonly<Record<string, ConnectorErrorKind>> = {
  '08': 'unreachable',
  '22': 'schema',
  '23': 'schema',
  '28': 'permission',
  '3F': 'schema',
  '42': 'schema',
  '53': 'throttled',
};

/** Classifies an error from pg, mysql2 or better-sqlite3 by its code, SQLSTATE or errno. */
export function classifySqlError(error: unknown): SqlFailure {
  const failure = (kind: ConnectorErrorKind, extra: Partial<SqlFailure> = {}): SqlFailure => ({
    kind,
    inFlight: false,
    uniqueViolation: false,
    conflict: false,
    ...extra,
  });
  if (error instanceof SqlValueError) return failure('schema');
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : '';

  if (code !== undefined && neverReached.has(code)) return failure('unreachable');
  if (code !== undefined && connectionLost.has(code)) return failure('unreachable', { inFlight: true });
  // pg reports a closed or broken socket by message only.
  if (/connection terminated|not queryable|connection error|query read timeout|closed state/i.test(message)) {
    return failure('unreachable', { inFlight: true });
  }
  if (/timeout exceeded when trying to connect/i.test(message)) return failure('unreachable');

  if (code?.startsWith('SQLITE_')) return classifySqlite(code, message, failure);
  if (code?.startsWith('ER_') || code?.startsWith('WARN_')) {
    const kind = mysqlKinds[code] ?? 'unknown';
    return failure(kind, {
      uniqueViolation: kind === 'already_exists',
      conflict: code === 'ER_LOCK_DEADLOCK',
      inFlight: kind === 'timeout',
    });
  }
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    const kind = postgresKinds[code] ?? postgresClasses[code.slice(0, 2)] ?? 'unknown';
    return failure(kind, {
      uniqueViolation: code === '23505',
      conflict: code === '40001' || code === '40P01',
      inFlight: kind === 'unreachable' || kind === 'timeout',
    });
  }
  return failure('unknown', { inFlight: true });
}

function classifySqlite(
  code: string,
  message: string,
  failure: (kind: ConnectorErrorKind, extra?: Partial<SqlFailure>) => SqlFailure,
): SqlFailure {
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return failure('already_exists', { uniqueViolation: true });
  }
  if (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG') {
    return failure('schema');
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return failure('throttled');
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return failure('permission');
  }
  // better-sqlite3 reports a missing table or column as a plain SQLITE_ERROR.
  if (code === 'SQLITE_ERROR' && /no such (table|column)|has no column named/i.test(message)) {
    return failure('schema');
  }
  return failure('unknown');
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errors } = error as { code?: unknown; errors?: unknown };
  if (typeof code === 'string' && code !== '') return code;
  // Node reports a refused connection to a name with several addresses as an AggregateError.
  if (Array.isArray(errors) && errors.length > 0) return codeOf(errors[0]);
  return undefined;
}

/** What the connector was doing when it failed, for the message and for `applied`. */
export interface SqlOperationContext {
  readonly connectionId: string;
  /** E.g. `create of Account ada`. */
  readonly operation: string;
  /** A write may have reached the database when the connection broke mid-request. */
  readonly writes: boolean;
  /** Removed from messages wherever a driver might have echoed it. */
  readonly secrets: readonly string[];
}

/** Turns a driver error into the ConnectorError the agent acts on; ConnectorErrors pass through. */
export function toConnectorError(error: unknown, context: SqlOperationContext): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const failure = classifySqlError(error);
  const raw = error instanceof Error ? error.message || codeOf(error) || error.name : String(error);
  let detail = raw;
  for (const secret of context.secrets) if (secret !== '') detail = detail.split(secret).join('***');
  const code = codeOf(error);
  const suffix = code && !detail.includes(code) ? ` (${code})` : '';
  return new ConnectorError(
    `connection ${context.connectionId}: ${context.operation} failed: ${detail}${suffix}`,
    {
      kind: failure.kind,
      applied: context.writes && failure.inFlight ? 'maybe' : 'no',
      retryable: ['unreachable', 'timeout', 'throttled'].includes(failure.kind),
    },
    { cause: sanitisedCause(error, detail) },
  );
}

/**
 * The driver error without what it may carry of the query: mysql2 attaches the SQL text with
 * the values interpolated (an initial password, say), and causes end up in logs.
 */
function sanitisedCause(error: unknown, message: string): Error {
  const cause = new Error(message);
  cause.name = error instanceof Error ? error.name : 'Error';
  if (typeof error === 'object' && error !== null) {
    for (const field of ['code', 'errno', 'sqlState', 'severity', 'routine'] as const) {
      const value = (error as Record<string, unknown>)[field];
      if (typeof value === 'string' || typeof value === 'number') Object.assign(cause, { [field]: value });
    }
  }
  return cause;
}
