import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSecretVariable } from '@ordo/agent';
import { createConnector } from '@ordo/connectors';
import type { ObjectState } from '@ordo/core';
import {
  applyConfiguration,
  createStores,
  loadAppliedModel,
  migrateToLatest,
  openDatabase,
  readConfigurationFolder,
  synchronizeExport,
  systemClock,
} from '@ordo/server';
import { resolveSettings } from '../packages/agent/src/resolve-settings.ts';
import { writeLdapConfiguration } from '../packages/agent/test/support/ldap-configuration.ts';
import type { Slapd } from '../packages/connectors/test/support/slapd.ts';
import { ldapPasswordVariable } from './fulfil-ordo-site.ts';
import { type HrPerson, personEntry } from './fulfil-people.ts';
import { addContainer, connectRaw, loadEntries, rawPagedSearch } from './fulfil-raw-ldap.ts';

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Export page size of both sides (also the LDAP connector's default). */
export const exportPageSize = 500;

/**
 * Raw and Ordo take turns this many times, and each side's median round counts: one round of a
 * few seconds swings with garbage collection and slapd's own work (by up to 2× between runs).
 */
export const exportRounds = 3;

interface OrdoRound {
  readonly seconds: number;
  readonly entriesPerSecond: number;
  /** The LDAP connector's complete export (paged search, memberships, mapping to objects). */
  readonly exportSeconds: number;
  /** synchronizeExport into the fresh database (compare, write, verify executed orders). */
  readonly synchronizeSeconds: number;
  readonly inserted: number;
}

export interface ExportSyncResult {
  readonly entries: number;
  readonly loadSeconds: number;
  /** The median round of each side; `rounds` lists every round's seconds, in order. */
  readonly raw: {
    readonly seconds: number;
    readonly entriesPerSecond: number;
    readonly pages: number;
    readonly rounds: readonly number[];
  };
  readonly ordo: OrdoRound & { readonly rounds: readonly number[] };
  readonly ratio: number;
}

/**
 * Loads `count` inetOrgPerson entries into a container of their own, then times a raw paged
 * ldapts search of them against Ordo's path for the same entries: the LDAP connector's complete
 * export, then `synchronizeExport` into a fresh SQLite database with the configuration applied
 * (Directory's LdapAccount container = that container). {@link exportRounds} rounds, in turn.
 */
export async function measureExportSync(
  slapd: Slapd,
  count: number,
  concurrency: number,
  log: (line: string) => void,
): Promise<ExportSyncResult> {
  const container = `ou=bench-export,${slapd.baseDn}`;
  const client = await connectRaw(slapd);
  try {
    await addContainer(client, container);
  } finally {
    await client.unbind().catch(() => undefined);
  }
  const loadStarted = performance.now();
  const entry = (i: number) => personEntry(exportPerson(i), container);
  await loadEntries(slapd, entry, count, Math.max(concurrency, 8), (done) =>
    log(`bench: export: ${done}/${count} entries loaded`),
  );
  const loadSeconds = round((performance.now() - loadStarted) / 1000);
  log(`bench: export: ${count} entries loaded in ${loadSeconds} s`);

  const raws: Awaited<ReturnType<typeof rawPagedSearch>>[] = [];
  const ordos: OrdoRound[] = [];
  for (let i = 1; i <= exportRounds; i++) {
    const raw = await rawPagedSearch(slapd, container, exportPageSize);
    if (raw.entries !== count) throw new Error(`bench: the raw search found ${raw.entries} entries, not ${count}`);
    raws.push(raw);
    const ordo = await ordoExportAndSynchronize(slapd, container, count);
    ordos.push(ordo);
    log(
      `bench: export: round ${i}: raw paged search ${round(raw.seconds)} s; Ordo export ${ordo.exportSeconds} s + synchronize ${ordo.synchronizeSeconds} s`,
    );
  }
  const raw = median(raws, (r) => r.seconds);
  const ordo = median(ordos, (o) => o.seconds);
  const rawRate = count / raw.seconds;
  return {
    entries: count,
    loadSeconds,
    raw: {
      seconds: round(raw.seconds),
      entriesPerSecond: round(rawRate, 1),
      pages: raw.pages,
      rounds: raws.map((r) => round(r.seconds)),
    },
    ordo: { ...ordo, rounds: ordos.map((o) => o.seconds) },
    ratio: round(ordo.entriesPerSecond / rawRate),
  };
}

/** The middle element by `key` (the upper middle for an even count). */
function median<T>(items: readonly T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor(sorted.length / 2)] as T;
}

/** People of the export measurement: their own numbers, so they never meet the provisioned ones. */
function exportPerson(i: number): HrPerson {
  const employeeId = `X${String(i).padStart(7, '0')}`;
  return {
    employeeId,
    firstName: `Exported${i}`,
    lastName: 'Entry',
    title: i % 3 === 0 ? null : `Title ${i % 97}`,
    contractStart: '2020-01-01',
    contractEnd: null,
  };
}

async function ordoExportAndSynchronize(slapd: Slapd, container: string, count: number): Promise<OrdoRound> {
  const dir = await mkdtemp(join(tmpdir(), 'ordo-bench-export-'));
  process.env[ldapPasswordVariable] = slapd.adminPassword;
  const configFolder = writeLdapConfiguration({
    ldapUrl: slapd.url,
    bindDn: slapd.adminDn,
    passwordVariable: ldapPasswordVariable,
    peopleDn: container,
    groupsDn: slapd.groupsDn,
    directoryAgent: 'local',
    hr: { kind: 'memory', agent: 'nobody', settings: { system: 'unused' } },
  });
  const database = await openDatabase({ url: join(dir, 'ordo.sqlite') });
  try {
    await migrateToLatest(database);
    const stores = createStores(database);
    await applyConfiguration({ stores, clock: systemClock }, await readConfigurationFolder(configFolder), {
      kind: 'user',
      id: 'bench',
    });
    const { model } = await loadAppliedModel(stores);
    const directory = model.connectors.Directory;
    const connection = directory?.connections.DirectoryLdap;
    if (!directory || !connection) throw new Error('bench: the configuration has no Directory / DirectoryLdap');
    const entityTypes = Object.fromEntries(
      directory.entityTypes.flatMap((id) => (model.entityTypes[id] ? [[id, model.entityTypes[id]]] : [])),
    );
    const connector = createConnector(connection.kind, {
      connectionId: connection.id,
      settings: resolveSettings(connection, readSecretVariable),
      entityTypes,
    });
    try {
      // As the agent's export runner does: every page kept, then one upload synchronized.
      const started = performance.now();
      const objects: ObjectState[] = [];
      const outcome = await connector.export(
        { entityType: 'LdapAccount', mode: 'complete', cookie: null, pageSize: exportPageSize },
        async (page) => {
          objects.push(...page.objects);
        },
      );
      const exported = performance.now();
      const result = await synchronizeExport({ stores, clock: systemClock, newId: randomUUID }, model, {
        connector: directory.id,
        connection: connection.id,
        entityType: 'LdapAccount',
        mode: outcome.mode,
        objects,
        deletedKeys: [],
        cookie: outcome.cookie,
      });
      const finished = performance.now();
      if (result.status !== 'completed' || result.inserted !== count || objects.length !== count) {
        throw new Error(
          `bench: Ordo exported ${objects.length} entries and synchronized ${JSON.stringify(result)}, expected ${count} inserted`,
        );
      }
      const seconds = (finished - started) / 1000;
      return {
        seconds: round(seconds),
        entriesPerSecond: round(count / seconds, 1),
        exportSeconds: round((exported - started) / 1000),
        synchronizeSeconds: round((finished - exported) / 1000),
        inserted: result.inserted,
      };
    } finally {
      await connector.close();
    }
  } finally {
    await database.close();
    await rm(dir, { recursive: true, force: true });
    await rm(configFolder, { recursive: true, force: true });
  }
}
