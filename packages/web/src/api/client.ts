/**
 * The one way the UI talks to the server: same-origin fetch with the session cookie, the CSRF
 * token on every change, and RFC 9457 problems turned into `ApiError` (code, detail, field errors)
 * so each screen can show what went wrong, where and why.
 */

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fields: readonly FieldProblem[] = [],
  ) {
    super(detail || code);
    this.name = 'ApiError';
  }
}

let csrfToken = '';

/** Set from the session answer (sign-in or GET /api/session); sent back on every change. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the server says the session is gone, so the app can show the sign-in page. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(listener: () => void): void {
  onSignedOut = listener;
}

type Query = Readonly<Record<string, string | number | boolean | undefined | null>>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const problem = (data ?? {}) as { code?: string; detail?: string; title?: string; errors?: FieldProblem[] };
    if (response.status === 401 && path !== '/api/session') onSignedOut();
    throw new ApiError(
      response.status,
      problem.code ?? `HTTP_${response.status}`,
      problem.detail ?? problem.title ?? response.statusText,
      problem.errors ?? [],
    );
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 500) };
  }
}

export const api = {
  get: <T>(path: string, query?: Query) => call<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => call<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => call<T>('PATCH', path, body ?? {}),
  delete: <T>(path: string) => call<T>('DELETE', path),
};

/** Path segments are escaped so an id with `/` or `?` cannot reach another route. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
