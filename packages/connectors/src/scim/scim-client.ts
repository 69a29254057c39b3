import { errorFromStatus, failureBeforeAnswer, malformedAnswer, type ScimCallSite } from './scim-error.ts';
import type { ScimSettings } from './scim-settings.ts';

const scimMediaType = 'application/scim+json';

/** One HTTP call to the SCIM service provider. */
export interface ScimRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Below the base URL, with its query (`/Users?filter=...`). */
  readonly path: string;
  readonly body?: unknown;
  /** The resource version (ETag) a write expects, sent as If-Match. */
  readonly ifMatch?: string;
  /** Error statuses the caller handles itself (404 on a lookup, 409 on a create, 412 with ETags). */
  readonly accept?: readonly number[];
}

/** A 2xx answer, or an error status the caller accepted. */
export interface ScimAnswer {
  readonly status: number;
  /** Parsed JSON; null for an empty body (and for an accepted error status whose body is not JSON). */
  readonly body: unknown;
  readonly headers: Headers;
  /** For messages about this answer (a malformed resource...). */
  readonly site: ScimCallSite;
}

/**
 * HTTP for SCIM with Node's global fetch: bearer authentication, a timeout on every call, JSON in
 * and out, and every failure turned into a classified ConnectorError (never a raw TypeError).
 */
export class ScimClient {
  private readonly redact: (text: string) => string;

  constructor(private readonly settings: Pick<ScimSettings, 'connectionId' | 'baseUrl' | 'token' | 'timeoutMs'>) {
    const token = settings.token;
    this.redact = (text) => (token.length >= 4 ? text.split(token).join('[redacted]') : text);
  }

  async send(request: ScimRequest): Promise<ScimAnswer> {
    const site: ScimCallSite = {
      connectionId: this.settings.connectionId,
      method: request.method,
      endpoint: request.path.split('?')[0] ?? request.path,
      redact: this.redact,
    };
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.settings.token}`,
      accept: `${scimMediaType}, application/json`,
    };
    if (request.body !== undefined) headers['content-type'] = scimMediaType;
    if (request.ifMatch !== undefined) headers['if-match'] = request.ifMatch;

    let response: Response;
    let text: string;
    try {
      // One signal for the whole exchange: a server that answers headers and then stalls times out too.
      const signal = AbortSignal.timeout(this.settings.timeoutMs);
      response = await fetch(`${this.settings.baseUrl}${request.path}`, {
        method: request.method,
        headers,
        signal,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      });
      text = await response.text();
    } catch (error) {
      throw failureBeforeAnswer(site, error, this.settings.timeoutMs);
    }

    let body: unknown = null;
    let isJson = true;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        isJson = false;
      }
    }
    if (response.ok) {
      if (!isJson) {
        const type = response.headers.get('content-type') ?? 'no content type';
        throw malformedAnswer(site, `${response.status} with a body that is not JSON (${type}, ${text.length} bytes)`);
      }
      return { status: response.status, body, headers: response.headers, site };
    }
    if (request.accept?.includes(response.status)) {
      return { status: response.status, body: isJson ? body : null, headers: response.headers, site };
    }
    throw errorFromStatus(site, response.status, response.headers, isJson ? body : null);
  }
}
