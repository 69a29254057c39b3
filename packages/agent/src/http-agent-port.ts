import type {
  AgentConfiguration,
  AgentPort,
  AgentStatusReport,
  ExportUpload,
  LeaseRequest,
  ReportVerdict,
  UploadOutcome,
  WorkItem,
  WorkReport,
} from '@ordo/core';

export interface HttpAgentPortOptions {
  /** The server's base URL, e.g. http://ordo.internal:8080 */
  readonly serverUrl: string;
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
  const base = options.serverUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, extraMs = 0): Promise<T> {
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
    status: async (report: AgentStatusReport) => {
      await call<unknown>('POST', '/status', report);
    },
  };
}
