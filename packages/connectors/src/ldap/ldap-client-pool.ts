import * as net from 'node:net';
import * as tls from 'node:tls';
import { Client } from 'ldapts';
import type { LdapSettings } from './parse-ldap-settings.ts';

/** A pooled, bound client lent to one operation; give it back with `release`. */
export interface PooledClient {
  readonly client: Client;
  release(): void;
}

/**
 * Thrown instead of letting ldapts silently reopen a dropped connection: ldapts reconnects on the
 * next request but without the bind (and without StartTLS), so the request would run anonymously.
 * The request was never sent.
 */
export class LdapConnectionDroppedError extends Error {
  readonly notSent = true;
  constructor() {
    super('Connection closed earlier; the request was not sent');
    this.name = 'LdapConnectionDroppedError';
  }
}

interface Slot {
  client: Client | null;
  connecting: Promise<Client> | null;
  inFlight: number;
}

/**
 * A few bound connections shared by the connector's operations. LDAP multiplexes requests on one
 * connection, so operations are not exclusive: each takes the least busy slot, and a slot opens
 * its connection only when first needed, so an idle agent holds one connection. A connection that
 * dropped (server restart, idle timeout) is replaced by a fresh, bound one on the next use.
 */
export class LdapClientPool {
  private readonly slots: Slot[];
  private closed = false;

  constructor(private readonly settings: LdapSettings) {
    this.slots = Array.from({ length: settings.poolSize }, () => ({ client: null, connecting: null, inFlight: 0 }));
  }

  /** @throws whatever connecting, StartTLS or binding threw (classified by the caller). */
  async acquire(): Promise<PooledClient> {
    if (this.closed) throw new Error('the LDAP connector was closed');
    const slot = this.slots.reduce((best, s) => (s.inFlight < best.inFlight ? s : best));
    slot.inFlight += 1;
    try {
      const client = await this.ready(slot);
      let released = false;
      return {
        client,
        release: () => {
          if (released) return;
          released = true;
          slot.inFlight -= 1;
        },
      };
    } catch (error) {
      slot.inFlight -= 1;
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        const client = slot.client ?? (await slot.connecting?.catch(() => null)) ?? null;
        slot.client = null;
        await client?.unbind().catch(() => undefined);
      }),
    );
  }

  private ready(slot: Slot): Promise<Client> {
    if (slot.client?.isBound) return Promise.resolve(slot.client);
    if (!slot.connecting) {
      const stale = slot.client;
      slot.client = null;
      stale?.unbind().catch(() => undefined);
      slot.connecting = this.connect()
        .then((client) => {
          if (this.closed) {
            client.unbind().catch(() => undefined);
            throw new Error('the LDAP connector was closed');
          }
          slot.client = client;
          return client;
        })
        .finally(() => {
          slot.connecting = null;
        });
    }
    return slot.connecting;
  }

  private async connect(): Promise<Client> {
    const { settings } = this;
    const tlsOptions: tls.ConnectionOptions = { ...settings.tls };
    const secure = settings.url.toLowerCase().startsWith('ldaps:');
    const client = new Client({
      url: settings.url,
      timeout: settings.timeoutMs,
      connectTimeout: settings.connectTimeoutMs,
      // Only for ldaps://: tlsOptions on an ldap:// client would make ldapts open TLS directly.
      ...(secure
        ? { tlsOptions, createSecureConnection: connectOnce(tls.connect) }
        : { createConnection: connectOnce(net.connect) }),
    });
    try {
      if (settings.startTls) {
        const host = new URL(settings.url).hostname.replace(/^\[|\]$/g, '');
        // SNI takes names only; the certificate check still uses `host`.
        await client.startTLS({ ...tlsOptions, host, ...(net.isIP(host) ? {} : { servername: host }) });
      }
      // An anonymous bind too, so that `isBound` tells a fresh connection from a reopened one.
      await client.bind(settings.bindDn ?? '', settings.bindPassword ?? '');
      return client;
    } catch (error) {
      client.unbind().catch(() => undefined);
      throw error;
    }
  }
}

/**
 * Lets one client open its socket once. Later calls (ldapts reconnecting after a drop) fail
 * before anything is sent; the pool then replaces the client with a freshly bound one.
 */
function connectOnce<F>(connect: F): F {
  let used = false;
  const wrapped = (...args: unknown[]): net.Socket => {
    if (used) throw new LdapConnectionDroppedError();
    used = true;
    const socket = (connect as (...a: unknown[]) => net.Socket)(...args);
    // Notice half-open connections (a firewall dropping idle sessions) instead of waiting for a timeout.
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
  return wrapped as F;
}
