/**
 * What went wrong, in the terms of the domain. The HTTP layer maps the kind to a status in one
 * place (`http/problem.ts`); the code is stable and part of the API.
 */
export type UseCaseErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'throttled'
  | 'unavailable';

export class UseCaseError extends Error {
  constructor(
    readonly kind: UseCaseErrorKind,
    /** Stable, e.g. `REQUEST_ALREADY_DECIDED`. */
    readonly code: string,
    message: string,
    readonly extra: {
      /** Every bad field, for `invalid`. */
      readonly errors?: readonly { readonly path: string; readonly message: string }[];
      /** For `throttled` and `unavailable`: when to try again. */
      readonly retryAfterSeconds?: number;
    } = {},
  ) {
    super(message);
    this.name = 'UseCaseError';
  }
}
