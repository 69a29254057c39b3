import type { Model } from '@ordo/core';
import {
  applyConfiguration,
  createStores,
  type Database,
  importResources,
  loadAppliedModel,
  migrateToLatest,
  openDatabase,
  readConfigurationFolder,
  type Stores,
  systemClock,
} from '@ordo/server';
import { personRecords } from './ldap-configuration.ts';

export interface LdapSite {
  readonly database: Database;
  readonly stores: Stores;
  readonly model: Model;
  close(): Promise<void>;
}

/**
 * A database with an LDAP configuration (`writeLdapConfiguration`) applied, the staff group known
 * as the first directory synchronization would have brought it (so memberships resolve from the
 * first computation on), and `people` people imported as an HR synchronization would.
 */
export async function openLdapSite(options: {
  readonly configFolder: string;
  readonly databaseUrl: string;
  readonly staffGroupDn: string;
  readonly people?: number;
  /** PostgreSQL only: the schema to keep the tables in. */
  readonly schema?: string;
}): Promise<LdapSite> {
  const database = await openDatabase({
    url: options.databaseUrl,
    ...(options.schema ? { schema: options.schema } : {}),
  });
  await migrateToLatest(database);
  const stores = createStores(database);
  await applyConfiguration({ stores, clock: systemClock }, await readConfigurationFolder(options.configFolder), {
    kind: 'user',
    id: 'test',
  });
  const { model } = await loadAppliedModel(stores);
  await importResources(
    { stores },
    [{ entityType: 'LdapGroup', key: options.staffGroupDn, values: { cn: 'staff' } }],
    linkTargetsOf(model),
  );
  const site = { database, stores, model, close: () => database.close() };
  if (options.people) await importPeople(site, options.people);
  return site;
}

/** People `offset` to `offset + count - 1`, as an HR synchronization brings them (marked dirty). */
export async function importPeople(site: Pick<LdapSite, 'stores' | 'model'>, count: number, offset = 0): Promise<void> {
  await importResources({ stores: site.stores }, personRecords(count, offset), linkTargetsOf(site.model));
}

function linkTargetsOf(model: Model) {
  return (entityType: string, property: string) => {
    const p = model.entityTypes[entityType]?.properties[property];
    return p?.kind === 'navigation' ? p.target : null;
  };
}
