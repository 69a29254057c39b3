/** What went wrong, in words the agent can act on. */
export type ConnectorErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'throttled'
  | 'already_exists'
  | 'not_found'
  | 'schema'
  | 'permission'
  | 'configuration'
  | 'unknown';

/**
 * Whether the change may have reached the system: `no` when the request certainly failed before
 * (refused connection, validation error), `maybe` when it may have been applied (a timeout after
 * the request was sent, a dropped connection). After `maybe` the agent reads before retrying.
 */
export type Applied = 'no' | 'maybe';

export interface ConnectorErrorDetails {
  readonly kind: ConnectorErrorKind;
  readonly applied: Applied;
  /** Worth retrying later with backoff (unreachable, timeout, throttled). */
  readonly retryable: boolean;
  /** For `throttled`: what the system asked for (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
}

/** Kinds that a later attempt may cure on its own. */
const transientKinds: ReadonlySet<ConnectorErrorKind> = new Set(['unreachable', 'timeout', 'throttled']);

/** The only error a connector throws: a readable message plus what may have happened. */
export class ConnectorError extends Error implements ConnectorErrorDetails {
  readonly kind: ConnectorErrorKind;
  readonly applied: Applied;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    details: { kind: ConnectorErrorKind; applied?: Applied; retryable?: boolean; retryAfterMs?: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConnectorError';
    this.kind = details.kind;
    this.applied = details.applied ?? 'no';
    this.retryable = details.retryable ?? transientKinds.has(details.kind);
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }

  toJSON(): ConnectorErrorDetails & { message: string } {
    return {
      message: this.message,
      kind: this.kind,
      applied: this.applied,
      retryable: this.retryable,
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
    };
  }
}

/**
 * Anything a connector lets escape is still classified: an unexpected exception is `unknown`,
 * and since we cannot tell how far it got, `maybe` applied.
 */
export function asConnectorError(error: unknown, context: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectorError(
    `${context}: ${message}`,
    { kind: 'unknown', applied: 'maybe', retryable: false },
    { cause: error },
  );
}
