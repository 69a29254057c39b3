import { Attribute, Change, Client } from 'ldapts';
import type { PersonEntry } from './fulfil-people.ts';
import { runPool } from './fulfil-run-pool.ts';

/** Where plain ldapts connects, as the slapd fixture describes its server. */
export interface RawDirectory {
  readonly url: string;
  readonly adminDn: string;
  readonly adminPassword: string;
}

/** The attributes an account entry carries, and those the raw search asks for. */
export const accountAttributes = ['uid', 'cn', 'sn', 'givenName', 'mail', 'title', 'employeeNumber'] as const;

/** A bound ldapts client; `unbind` it when done. */
export async function connectRaw(directory: RawDirectory): Promise<Client> {
  const client = new Client({ url: directory.url, timeout: 60_000, connectTimeout: 10_000 });
  try {
    await client.bind(directory.adminDn, directory.adminPassword);
    return client;
  } catch (error) {
    await client.unbind().catch(() => undefined);
    throw error;
  }
}

/** `concurrency` bound clients, one per pool slot, unbound after `fn` whatever happens. */
export async function withRawClients<T>(
  directory: RawDirectory,
  concurrency: number,
  fn: (clients: readonly Client[]) => Promise<T>,
): Promise<T> {
  const clients: Client[] = [];
  try {
    for (let i = 0; i < concurrency; i++) clients.push(await connectRaw(directory));
    return await fn(clients);
  } finally {
    await Promise.all(clients.map((c) => c.unbind().catch(() => undefined)));
  }
}

/** Adds an organizational unit under the suffix (a container of its own per measurement). */
export async function addContainer(client: Client, dn: string): Promise<void> {
  const ou = /^ou=([^,]+),/i.exec(dn)?.[1];
  if (!ou) throw new Error(`bench: ${dn} is not an ou=... container`);
  await client.add(dn, { objectClass: ['top', 'organizationalUnit'], ou });
}

/** A groupOfNames holding only itself, as the fixture's groups start. */
export async function addGroup(client: Client, dn: string): Promise<void> {
  const cn = /^cn=([^,]+),/i.exec(dn)?.[1];
  if (!cn) throw new Error(`bench: ${dn} is not a cn=... group`);
  await client.add(dn, { objectClass: ['top', 'groupOfNames'], cn, member: dn });
}

function entryAttributes(entry: PersonEntry): Record<string, string | string[]> {
  return { objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'], ...entry.attributes };
}

/**
 * The raw baseline of provisioning: for each entry, an add of the inetOrgPerson entry and a
 * modify adding its DN to the group's `member`, the two in sequence, `concurrency` entries at a
 * time over one bound connection each. No reads, no checks: the bare cost of the writes.
 * @returns seconds from the first request to the last answer (connections opened before).
 */
export async function rawProvision(
  directory: RawDirectory,
  entries: readonly PersonEntry[],
  groupDn: string,
  concurrency: number,
  progress: (done: number) => void = () => {},
): Promise<number> {
  return withRawClients(directory, concurrency, async (clients) => {
    const started = performance.now();
    let done = 0;
    await runPool(entries.length, concurrency, async (index, slot) => {
      const client = clients[slot] as Client;
      const entry = entries[index] as PersonEntry;
      await client.add(entry.dn, entryAttributes(entry));
      await client.modify(
        groupDn,
        new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [entry.dn] }) }),
      );
      if (++done % 5_000 === 0) progress(done);
    });
    return (performance.now() - started) / 1000;
  });
}

/** Loads entries (adds only), `concurrency` at a time: the data of the export measurement. */
export async function loadEntries(
  directory: RawDirectory,
  entries: (index: number) => PersonEntry,
  count: number,
  concurrency: number,
  progress: (done: number) => void,
): Promise<void> {
  let done = 0;
  await withRawClients(directory, concurrency, (clients) =>
    runPool(count, concurrency, async (index, slot) => {
      await (clients[slot] as Client).add(entries(index).dn, entryAttributes(entries(index)));
      if (++done % 10_000 === 0) progress(done);
    }),
  );
}

/**
 * The raw baseline of export: one paged search (RFC 2696) of the container's inetOrgPerson
 * entries with their account attributes, every page read and every entry's values touched.
 */
export async function rawPagedSearch(
  directory: RawDirectory,
  container: string,
  pageSize: number,
): Promise<{ seconds: number; entries: number; pages: number }> {
  const client = await connectRaw(directory);
  try {
    const started = performance.now();
    let entries = 0;
    let pages = 0;
    let values = 0;
    for await (const page of client.searchPaginated(container, {
      scope: 'sub',
      filter: '(objectClass=inetOrgPerson)',
      attributes: [...accountAttributes],
      paged: { pageSize },
    })) {
      pages += 1;
      entries += page.searchEntries.length;
      for (const entry of page.searchEntries) {
        for (const attribute of accountAttributes) if (entry[attribute] !== undefined) values += 1;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    if (values === 0 && entries > 0) throw new Error('bench: the raw search returned entries without attributes');
    return { seconds, entries, pages };
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/**
 * The account attributes of the entries named `uid=<uid>,<container>`, read with plain ldapts
 * (missing entries are left out), by uid; values as the server returns them.
 */
export async function readAccounts(
  directory: RawDirectory,
  container: string,
  uids: readonly string[],
): Promise<Map<string, Record<string, string>>> {
  const client = await connectRaw(directory);
  try {
    const found = new Map<string, Record<string, string>>();
    for (const uid of uids) {
      const { searchEntries } = await client
        .search(`uid=${uid},${container}`, { scope: 'base', attributes: [...accountAttributes] })
        .catch(() => ({ searchEntries: [] }));
      const entry = searchEntries[0];
      if (!entry) continue;
      found.set(uid, Object.fromEntries(accountAttributes.map((a) => [a, String(entry[a] ?? '')])));
    }
    return found;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/**
 * Counts what is in the directory, without Ordo: entries under a container and the member values
 * of a group that point into it (the proof that the provisioning really happened).
 */
export async function countProvisioned(
  directory: RawDirectory,
  container: string,
  groupDn: string,
): Promise<{ accounts: number; memberships: number }> {
  const client = await connectRaw(directory);
  try {
    let accounts = 0;
    for await (const page of client.searchPaginated(container, {
      scope: 'one',
      filter: '(objectClass=inetOrgPerson)',
      attributes: ['1.1'],
      paged: { pageSize: 1000 },
    })) {
      accounts += page.searchEntries.length;
    }
    const { searchEntries } = await client.search(groupDn, { scope: 'base', attributes: ['member'] });
    const raw = searchEntries[0]?.member;
    const members = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const suffix = `,${container}`.toLowerCase();
    const self = groupDn.toLowerCase();
    // A group's own DN is the placeholder member of groupOfNames, not a provisioned membership.
    const memberships = members.filter((m) => {
      const dn = String(m).toLowerCase();
      return dn !== self && dn.endsWith(suffix);
    }).length;
    return { accounts, memberships };
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
