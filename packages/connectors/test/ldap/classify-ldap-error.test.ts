import {
  AlreadyExistsError,
  BusyError,
  ConstraintViolationError,
  InsufficientAccessError,
  InvalidSyntaxError,
  NoResultError,
  NoSuchObjectError,
  OperationsError,
  UnavailableError,
  UndefinedTypeError,
} from 'ldapts';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/connector-error.ts';
import { classifyLdapError, type LdapFailureContext } from '../../src/ldap/classify-ldap-error.ts';

// The server-side cases (noSuchObject, invalidCredentials, timeouts, refused connections, TLS)
// are produced by the real slapd in the other tests; these are the answers slapd will not give
// on demand, checked on the errors ldapts builds from them.
const first: LdapFailureContext = {
  connectionId: 'Ldap',
  what: 'modify of uid=a,dc=x',
  changedBefore: false,
  duringWrite: true,
};
const later: LdapFailureContext = { ...first, changedBefore: true };

describe('classifyLdapError', () => {
  it.each([
    [new BusyError('try later'), 'throttled', true],
    [new UnavailableError('shutting down'), 'unreachable', true],
    [new ConstraintViolationError('password too short'), 'schema', false],
    [new UndefinedTypeError('foo: attribute type undefined'), 'schema', false],
    [new InvalidSyntaxError('bad value'), 'schema', false],
    [new InsufficientAccessError('no write access'), 'permission', false],
    [new NoSuchObjectError(), 'not_found', false],
    [new AlreadyExistsError(), 'already_exists', false],
    [new OperationsError('internal'), 'unknown', false],
  ])('%s → %s', (error, kind, retryable) => {
    const classified = classifyLdapError(error, first);
    expect(classified).toBeInstanceOf(ConnectorError);
    // An LDAP result is an answer: the server refused the whole request.
    expect(classified).toMatchObject({ kind, retryable, applied: 'no' });
    expect(classified.message).toContain('connection Ldap: modify of uid=a,dc=x: LDAP ');
    expect(classified.message).not.toMatch(/Code: 0x/);
    expect(classified.cause).toBe(error);
  });

  it('keeps the server diagnostic in the message', () => {
    expect(classifyLdapError(new ConstraintViolationError('password too short'), first).message).toBe(
      'connection Ldap: modify of uid=a,dc=x: LDAP constraintViolation (19): password too short',
    );
  });

  it('says maybe when an earlier write of the operation succeeded', () => {
    expect(classifyLdapError(new ConstraintViolationError('x'), later)).toMatchObject({ applied: 'maybe' });
    expect(classifyLdapError(new Error('Connection closed before message response was received'), later)).toMatchObject(
      {
        kind: 'unreachable',
        applied: 'maybe',
      },
    );
  });

  it('says maybe for a write whose answer never came, no for a read', () => {
    expect(classifyLdapError(new NoResultError(), first)).toMatchObject({ kind: 'unknown', applied: 'maybe' });
    const lost = new Error(
      'Connection closed before message response was received. Message type: ModifyRequest (0x66)',
    );
    expect(classifyLdapError(lost, first)).toMatchObject({ kind: 'unreachable', applied: 'maybe', retryable: true });
    expect(classifyLdapError(lost, { ...first, duringWrite: false })).toMatchObject({ applied: 'no' });
  });

  it('turns anything unexpected into a permanent unknown error', () => {
    const classified = classifyLdapError(new TypeError("Cannot read properties of undefined (reading 'x')"), first);
    expect(classified).toMatchObject({ kind: 'unknown', applied: 'maybe', retryable: false });
  });

  it('passes a ConnectorError through', () => {
    const error = new ConnectorError('x', { kind: 'schema' });
    expect(classifyLdapError(error, first)).toBe(error);
  });
});
