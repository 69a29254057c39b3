import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentRequestError, createHttpAgentPort } from '../src/http-agent-port.ts';

/**
 * An agent given several server nodes (`ordo agent --server A,B`) goes on through the next one
 * when one is down, over real sockets: a closed port, a 503, a refused token.
 */
describe('HTTP agent port with several server nodes', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  /** A node answering every call with `status` and a configuration body; counts its calls. */
  async function node(status: number) {
    const calls: string[] = [];
    const server = createServer((request, response) => {
      calls.push(request.url ?? '');
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(
        status === 200
          ? JSON.stringify({ agent: 'a', version: 1, connectors: [], entityTypes: {} })
          : JSON.stringify({ code: status === 401 ? 'AGENT_UNAUTHENTICATED' : 'UNAVAILABLE', detail: 'no' }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
  }

  /** A URL nothing listens on (a node that was killed). */
  async function deadUrl(): Promise<string> {
    const dead = await node(200);
    const server = servers.pop() as Server;
    await new Promise((resolve) => server.close(resolve));
    return dead.url;
  }

  it('goes to the next node when the first refuses connections, and stays with the one that answered', async () => {
    const live = await node(200);
    const port = createHttpAgentPort({ serverUrl: [await deadUrl(), live.url], token: 't', timeoutMs: 2000 });
    expect((await port.configuration()).agent).toBe('a');
    expect((await port.configuration()).agent).toBe('a');
    expect(live.calls).toEqual(['/api/agent/configuration', '/api/agent/configuration']);
  });

  it('goes to the next node on 503, but not on a refused token', async () => {
    const overloaded = await node(503);
    const live = await node(200);
    const port = createHttpAgentPort({ serverUrl: [overloaded.url, live.url], token: 't', timeoutMs: 2000 });
    expect((await port.configuration()).agent).toBe('a');
    expect(overloaded.calls).toHaveLength(1);

    const refusing = await node(401);
    const other = await node(200);
    const strict = createHttpAgentPort({ serverUrl: [refusing.url, other.url], token: 't', timeoutMs: 2000 });
    const error = await strict.configuration().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentRequestError);
    expect((error as AgentRequestError).status).toBe(401);
    expect(other.calls).toEqual([]);
  });

  it('fails with the last error when no node answers', async () => {
    const port = createHttpAgentPort({ serverUrl: [await deadUrl(), await deadUrl()], token: 't', timeoutMs: 2000 });
    await expect(port.configuration()).rejects.toThrow();
  });
});
