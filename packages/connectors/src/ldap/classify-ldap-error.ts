import { type Applied, ConnectorError, type ConnectorErrorKind } from '../connector-error.ts';

/** Where a failure happened, which decides whether a change may have been applied. */
export interface LdapFailureContext {
  readonly connectionId: string;
  /** What was being done, for the message: `modify of uid=bob,ou=people,dc=example,dc=org`. */
  readonly what: string;
  /** An earlier write of the same operation succeeded: anything failing now leaves a partial change. */
  readonly changedBefore: boolean;
  /** The failing request was a write that had been handed to the socket. */
  readonly duringWrite: boolean;
}

/** LDAP result codes (RFC 4511 §4.1.9) → what the agent can do about them. */
const resultKinds: Readonly<Record<number, ConnectorErrorKind>> = {
  3: 'timeout',
  7: 'configuration',
  8: 'configuration',
  13: 'configuration',
  16: 'schema',
  17: 'schema',
  18: 'schema',
  19: 'schema',
  20: 'schema',
  21: 'schema',
  32: 'not_found',
  34: 'schema',
  48: 'permission',
  49: 'permission',
  50: 'permission',
  51: 'throttled',
  52: 'unreachable',
  64: 'schema',
  65: 'schema',
  66: 'schema',
  67: 'schema',
  68: 'already_exists',
  69: 'schema',
};

const resultNames: Readonly<Record<number, string>> = {
  1: 'operationsError',
  2: 'protocolError',
  3: 'timeLimitExceeded',
  4: 'sizeLimitExceeded',
  7: 'authMethodNotSupported',
  8: 'strongerAuthRequired',
  10: 'referral',
  11: 'adminLimitExceeded',
  13: 'confidentialityRequired',
  16: 'noSuchAttribute',
  17: 'undefinedAttributeType',
  18: 'inappropriateMatching',
  19: 'constraintViolation',
  20: 'attributeOrValueExists',
  21: 'invalidAttributeSyntax',
  32: 'noSuchObject',
  34: 'invalidDNSyntax',
  48: 'inappropriateAuthentication',
  49: 'invalidCredentials',
  50: 'insufficientAccessRights',
  51: 'busy',
  52: 'unavailable',
  53: 'unwillingToPerform',
  64: 'namingViolation',
  65: 'objectClassViolation',
  66: 'notAllowedOnNonLeaf',
  67: 'notAllowedOnRDN',
  68: 'entryAlreadyExists',
  69: 'objectClassModsProhibited',
  80: 'other',
};

/** Socket failures: the server could not be reached or dropped the connection. */
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Certificate problems: retrying will not help, the trust settings must change. */
const certificateCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

/** The numeric LDAP result code of an ldapts ResultCodeError, or null. */
export function ldapResultCode(error: unknown): number | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
}

/**
 * Turns whatever ldapts or the socket threw into a {@link ConnectorError}. An LDAP result is an
 * answer: the server refused the request as a whole, so it was not applied (LDAP updates are
 * atomic). A lost connection or a timeout during a write may have been applied. Messages name the
 * operation and the LDAP result, never a credential.
 */
export function classifyLdapError(error: unknown, context: LdapFailureContext): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const prefix = `connection ${context.connectionId}: ${context.what}`;
  const resultCode = ldapResultCode(error);
  if (resultCode !== null) return fromResultCode(error as Error, resultCode, prefix, context);

  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const systemCode = typeof code === 'string' ? code : '';
  const mayHaveApplied: Applied = context.changedBefore || context.duringWrite ? 'maybe' : 'no';
  const make = (kind: ConnectorErrorKind, applied: Applied, text: string, retryable?: boolean) =>
    new ConnectorError(
      `${prefix}: ${text}`,
      { kind, applied, ...(retryable === undefined ? {} : { retryable }) },
      { cause: error },
    );

  if (certificateCodes.has(systemCode) || systemCode.startsWith('ERR_TLS_') || systemCode.startsWith('ERR_SSL_')) {
    return make('configuration', context.changedBefore ? 'maybe' : 'no', `TLS failed (${systemCode}): ${message}`);
  }
  if (/Connection timeout/i.test(message)) {
    return make('timeout', context.changedBefore ? 'maybe' : 'no', 'timed out connecting to the server');
  }
  if (/Operation timed out/i.test(message)) {
    return make('timeout', mayHaveApplied, 'timed out waiting for the server');
  }
  if (unreachableCodes.has(systemCode)) {
    return make('unreachable', mayHaveApplied, `server unreachable (${systemCode})`);
  }
  if (/Connection closed|Socket error|Socket connection not established|socket has been ended/i.test(message)) {
    return make('unreachable', mayHaveApplied, `connection lost: ${firstLine(message)}`);
  }
  return make('unknown', mayHaveApplied, `unexpected failure: ${firstLine(message)}`, false);
}

function fromResultCode(error: Error, code: number, prefix: string, context: LdapFailureContext): ConnectorError {
  const kind = resultKinds[code] ?? 'unknown';
  const name = resultNames[code] ?? 'result';
  // ldapts appends " Code: 0x20" to the server's diagnostic message (or its own default text).
  const detail = error.message.replace(/\s*Code: 0x[0-9a-f]+\s*$/i, '').trim();
  // 248 is ldapts's "no result": the request went out and nothing came back.
  const applied: Applied = context.changedBefore || (code === 248 && context.duringWrite) ? 'maybe' : 'no';
  return new ConnectorError(
    `${prefix}: LDAP ${name} (${code})${detail ? `: ${firstLine(detail)}` : ''}`,
    { kind, applied },
    { cause: error },
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
