import type { Client } from 'ldapts';
import { classifyLdapError } from './classify-ldap-error.ts';
import type { LdapClientPool, PooledClient } from './ldap-client-pool.ts';

/**
 * The requests of one connector operation (one fulfil, read or export), on one pooled connection
 * (paged searches must stay on theirs). It remembers whether a write has succeeded, so that a
 * later failure is reported as "maybe applied": the operation changed something before failing.
 * Every failure leaves as a classified ConnectorError whose `cause` is the ldapts error (callers
 * look at its result code for answers they expect, such as entryAlreadyExists).
 */
export class LdapSession {
  private lease: PooledClient | null = null;
  private writes = 0;

  constructor(
    private readonly pool: LdapClientPool,
    private readonly connectionId: string,
  ) {}

  /** A write of this operation succeeded. */
  get changed(): boolean {
    return this.writes > 0;
  }

  /** Runs a request that changes nothing (search, compare). */
  read<T>(what: string, request: (client: Client) => Promise<T>): Promise<T> {
    return this.run(what, false, request);
  }

  /** Runs a request that changes the directory (add, modify, delete, modify DN). */
  async write(what: string, request: (client: Client) => Promise<void>): Promise<void> {
    await this.run(what, true, request);
    this.writes += 1;
  }

  /** Gives the connection back to the pool. */
  end(): void {
    this.lease?.release();
    this.lease = null;
  }

  private async run<T>(what: string, write: boolean, request: (client: Client) => Promise<T>): Promise<T> {
    let client: Client;
    try {
      this.lease ??= await this.pool.acquire();
      client = this.lease.client;
    } catch (error) {
      throw classifyLdapError(error, {
        connectionId: this.connectionId,
        what: `${what} (connecting)`,
        changedBefore: this.changed,
        duringWrite: false,
      });
    }
    try {
      return await request(client);
    } catch (error) {
      const notSent = (error as { notSent?: unknown } | null)?.notSent === true;
      throw classifyLdapError(error, {
        connectionId: this.connectionId,
        what,
        changedBefore: this.changed,
        duringWrite: write && !notSent,
      });
    }
  }
}
