import { type Applied, ConnectorError } from '../connector-error.ts';

/** Where a failure happened: enough to name it in a message and to tell whether it wrote. */
export interface ScimCallSite {
  readonly connectionId: string;
  readonly method: string;
  /** Path below the base URL, without the query (`/Users/2819c223`). */
  readonly endpoint: string;
  /** Hides the token in any text that came from the server (some servers echo headers). */
  readonly redact: (text: string) => string;
}

const isWrite = (site: ScimCallSite) => site.method !== 'GET' && site.method !== 'HEAD';
const prefix = (site: ScimCallSite) => `SCIM connection ${site.connectionId}: ${site.method} ${site.endpoint}`;

/** Error codes of a connection that never reached the server: nothing was sent. */
const notConnectedCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/**
 * A failure before any answer: a refused or unresolvable connection certainly sent nothing; a
 * timeout or a connection lost mid-request may have delivered a write.
 */
export function failureBeforeAnswer(site: ScimCallSite, error: unknown, timeoutMs: number): ConnectorError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ConnectorError(
      `${prefix(site)}: no answer within ${timeoutMs} ms`,
      { kind: 'timeout', applied: isWrite(site) ? 'maybe' : 'no' },
      { cause: error },
    );
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail = site.redact(
    typeof cause?.message === 'string' && cause.message !== ''
      ? cause.message
      : error instanceof Error
        ? error.message
        : String(error),
  );
  if (code !== undefined && notConnectedCodes.has(code)) {
    return new ConnectorError(
      `${prefix(site)}: cannot connect (${code}: ${detail})`,
      { kind: 'unreachable', applied: 'no' },
      { cause: error },
    );
  }
  return new ConnectorError(
    `${prefix(site)}: connection lost before an answer (${code ?? 'error'}: ${detail})`,
    { kind: 'unreachable', applied: isWrite(site) ? 'maybe' : 'no' },
    { cause: error },
  );
}

/** A SCIM error body (RFC 7644 §3.12), as far as it can be read. */
interface ScimErrorBody {
  readonly scimType?: string;
  readonly detail?: string;
}

function readErrorBody(body: unknown): ScimErrorBody {
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  return {
    ...(typeof record.scimType === 'string' ? { scimType: record.scimType } : {}),
    ...(typeof record.detail === 'string' ? { detail: record.detail } : {}),
  };
}

/**
 * The ConnectorError for an HTTP error status. `body` is the parsed JSON (or null when the body was
 * not JSON). Statuses that say the request was refused before acting are `applied: 'no'`; server
 * failures on writes are `maybe`.
 */
export function errorFromStatus(site: ScimCallSite, status: number, headers: Headers, body: unknown): ConnectorError {
  const { scimType, detail } = readErrorBody(body);
  const text = `${prefix(site)}: ${status}${scimType ? ` ${scimType}` : ''}${detail ? `: ${site.redact(detail)}` : ''}`;
  const writeMaybe: Applied = isWrite(site) ? 'maybe' : 'no';
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
  const after = retryAfterMs === undefined ? {} : { retryAfterMs };
  switch (true) {
    case status === 401 || status === 403:
      return new ConnectorError(text, { kind: 'permission', applied: 'no' });
    case status === 404:
      return new ConnectorError(text, { kind: 'not_found', applied: 'no' });
    case status === 409 && scimType === 'uniqueness':
      return new ConnectorError(text, { kind: 'already_exists', applied: 'no' });
    case status === 409 || status === 412:
      // A concurrent change (version or lock conflict): nothing written, worth another try.
      return new ConnectorError(text, { kind: 'unknown', applied: 'no', retryable: true });
    case status === 429:
      return new ConnectorError(text, { kind: 'throttled', applied: 'no', ...after });
    case status === 503:
      return new ConnectorError(text, { kind: 'unreachable', applied: 'no', ...after });
    case status === 502:
      return new ConnectorError(text, { kind: 'unreachable', applied: writeMaybe });
    case status === 504:
      return new ConnectorError(text, { kind: 'timeout', applied: writeMaybe });
    case status === 400 || status === 413 || status === 422:
      return new ConnectorError(text, { kind: 'schema', applied: 'no' });
    case status >= 400 && status < 500:
      return new ConnectorError(text, { kind: 'unknown', applied: 'no', retryable: false });
    default:
      return new ConnectorError(text, { kind: 'unknown', applied: writeMaybe, retryable: false });
  }
}

/**
 * An answer that is not what SCIM promises (not JSON, a ListResponse without Resources, a resource
 * without id). A write that got a 2xx was most likely applied, so it stays `maybe`.
 */
export function malformedAnswer(site: ScimCallSite, problem: string): ConnectorError {
  return new ConnectorError(`${prefix(site)}: malformed SCIM answer: ${site.redact(problem)}`, {
    kind: 'unknown',
    applied: isWrite(site) ? 'maybe' : 'no',
    retryable: false,
  });
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
