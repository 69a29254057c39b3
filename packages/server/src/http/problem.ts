import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { UseCaseError, type UseCaseErrorKind } from '../use-cases/use-case-error.ts';

const statusOfKind: Record<UseCaseErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  throttled: 429,
  unavailable: 503,
};

/** An error the API answers with, as RFC 9457 problem+json with a stable code. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: readonly { readonly path: string; readonly message: string }[],
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

/** Every field a schema refused, with its path: a client fixes them all at once. */
export function validationProblem(where: string, error: z.ZodError): ApiProblem {
  const errors = error.issues.slice(0, 100).map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
  return new ApiProblem(400, 'VALIDATION_FAILED', `${where} is not valid: ${errors.length} problem(s)`, errors);
}

export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(where, result.error);
  return result.data;
}

/** The one place errors become HTTP answers (house rule 7). Unknown errors are 500 without detail. */
export function problemHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  let status = 500;
  let code = 'INTERNAL_ERROR';
  let detail = 'an unexpected error occurred; the server log has the details';
  let errors: ApiProblem['errors'];
  if (error instanceof ApiProblem) {
    ({ status, code, errors } = error);
    detail = error.message;
  } else if (error instanceof UseCaseError) {
    status = statusOfKind[error.kind];
    code = error.code;
    detail = error.message;
    errors = error.extra.errors;
    if (error.extra.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.extra.retryAfterSeconds));
  } else if ('validation' in error && Array.isArray(error.validation)) {
    // A route schema refused the request: every bad field, with where it is.
    const where = 'validationContext' in error ? String(error.validationContext) : 'request';
    status = 400;
    code = 'VALIDATION_FAILED';
    errors = error.validation.slice(0, 100).map((issue: { instancePath?: string; message?: string }) => ({
      path: [where, ...(issue.instancePath ?? '').split('/').filter(Boolean)].join('.'),
      message: issue.message ?? 'invalid',
    }));
    detail = `the ${where} is not valid: ${errors.length} problem(s)`;
  } else if (
    'code' in error &&
    typeof error.code === 'string' &&
    'statusCode' in error &&
    typeof error.statusCode === 'number' &&
    error.statusCode < 500
  ) {
    // Fastify's own refusals: malformed JSON, body too large, unsupported media type.
    status = error.statusCode;
    code = error.code;
    detail = error.message;
  } else if ('code' in error && error.code === 'SYNC_INVALID') {
    status = 422;
    code = 'SYNC_INVALID';
    detail = error.message;
  } else {
    request.log.error({ err: error }, 'unhandled error');
  }
  return reply
    .status(status)
    .type('application/problem+json')
    .send({ type: `urn:ordo:problem:${code}`, title: code, status, code, detail, ...(errors ? { errors } : {}) });
}
