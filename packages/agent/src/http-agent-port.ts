import type {
  AgentConfiguration,
  AgentPort,
  AgentStatusReport,
  ExportUpload,
  JobExportRequest,
  LeaseRequest,
  ReportVerdict,
  UploadOutcome,
  WorkItem,
  WorkReport,
} from '@ordo/core';

export interface HttpAgentPortOptions {
  /**
   * The server's base URL, e.g. http://ordo.internal:8080, or several server nodes on one
   * database: a call that cannot reach one (refused, timed out, 502/503/504) goes to the next, and
   * the agent stays with the node that answered.
   */
  readonly serverUrl: string | readonly string[];
  /** The agent's API token (`ordo agent token create`). */
  readonly token: string;
  readonly timeoutMs?: number;
}

/** The server refused a call: `status` tells a refused token (401) from a server failure (5xx). */
export class AgentRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'AgentRequestError';
  }
}

/** The agent protocol over HTTP: the remote agent's side of the server's `/api/agent` routes. */
export function createHttpAgentPort(options: HttpAgentPortOptions): AgentPort {
  const bases = (typeof options.serverUrl === 'string' ? [options.serverUrl] : [...options.serverUrl]).map((url) =>
    url.replace(/\/+$/, ''),
  );
  if (bases.length === 0) throw new Error('createHttpAgentPort: give at least one server URL');
  const timeoutMs = options.timeoutMs ?? 30_000;
  let current = 0;

  /**
   * Tries each node once, from the one that answered last. Retrying a call elsewhere is safe: a
   * lease the first node granted before failing expires and is offered again (maybe applied), and
   * reports and uploads carry lease tokens and cookies that make a second delivery harmless.
   */
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, extraMs = 0): Promise<T> {
    let failure: unknown;
    for (let tried = 0; tried < bases.length; tried++) {
      const index = (current + tried) % bases.length;
      try {
        const result = await callNode<T>(bases[index] as string, method, path, body, extraMs);
        current = index;
        return result;
      } catch (error) {
        if (!nodeUnavailable(error)) throw error;
        failure = error;
      }
    }
    throw failure;
  }

  async function callNode<T>(base: string, method: 'GET' | 'POST', path: string, body: unknown, extraMs: number) {
    const response = await fetch(`${base}/api/agent${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs + extraMs),
    });
    const text = await response.text();
    if (!response.ok) {
      let detail = text.slice(0, 500);
      try {
        const problem = JSON.parse(text) as { code?: string; detail?: string };
        detail = `${problem.code ?? response.status}: ${problem.detail ?? ''}`;
      } catch {
        // not problem+json: keep the start of the body
      }
      throw new AgentRequestError(`${method} ${path} answered ${response.status} (${detail})`, response.status);
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Not an answer from the server (connection refused, timeout) or a gateway/overload answer. */
  function nodeUnavailable(error: unknown): boolean {
    if (error instanceof AgentRequestError) return error.status === 502 || error.status === 503 || error.status === 504;
    // A node that answered 200 with a body that is not JSON did answer: sending again elsewhere
    // would only repeat the call.
    return !(error instanceof SyntaxError);
  }

  return {
    configuration: () => call<AgentConfiguration>('GET', '/configuration'),
    lease: (request: LeaseRequest) =>
      call<{ items: WorkItem[] }>('POST', '/lease', request, request.waitMs).then((r) => r.items),
    report: (reports: readonly WorkReport[]) =>
      call<{ verdicts: ReportVerdict[] }>('POST', '/reports', { reports }).then((r) => r.verdicts),
    exportCookie: (connection: string, entityType: string) =>
      call<{ cookie: string | null }>(
        'GET',
        `/exports/cookie?connection=${encodeURIComponent(connection)}&entityType=${encodeURIComponent(entityType)}`,
      ).then((r) => r.cookie),
    upload: (upload: ExportUpload) => call<UploadOutcome>('POST', '/exports', upload, 60_000),
    exportRequests: () => call<{ items: JobExportRequest[] }>('GET', '/exports/requests').then((r) => r.items),
    status: async (report: AgentStatusReport) => {
      await call<unknown>('POST', '/status', report);
    },
  };
}
