import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityType } from '@ordo/core';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';

export type BackendName = 'postgres' | 'mariadb' | 'sqlite';
type Settings = Record<string, string | number | boolean | null>;
export type RawRow = Record<string, unknown>;

/**
 * Throwaway users / groups / user_groups tables on one real database, with a raw driver
 * (pg, mysql2, better-sqlite3; not Kysely, not the connector) to check what the connector did.
 */
export interface SqlFixture {
  readonly backend: BackendName;
  /** Connection settings for the connector, tables and columns included. */
  readonly settings: Settings;
  /** Table names as raw SQL writes them (schema-qualified or prefixed). */
  readonly tables: { readonly users: string; readonly groups: string; readonly userGroups: string };
  /** A raw query with `?` placeholders. */
  query(text: string, params?: readonly unknown[]): Promise<RawRow[]>;
  close(): Promise<void>;
}

export interface SqlBackend {
  readonly name: BackendName;
  /** Throws when the server does not answer. */
  probe(): Promise<void>;
  createFixture(): Promise<SqlFixture>;
}

const postgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
const mariadbUrl = 'mysql://root@127.0.0.1:3306/test';

const scalar = (name: string, type: 'string' | 'int' | 'bool' | 'date' = 'string') => ({
  kind: 'scalar' as const,
  name,
  type,
});

/** Accounts with every scalar type, mapped partly to differently named columns, and groups. */
export const entityTypes: Record<string, EntityType> = {
  Account: {
    id: 'Account',
    displayName: 'Account',
    key: 'login',
    properties: {
      login: scalar('login'),
      mail: scalar('mail'),
      title: scalar('title'),
      enabled: scalar('enabled', 'bool'),
      loginCount: scalar('loginCount', 'int'),
      hiredOn: scalar('hiredOn', 'date'),
      lastLogin: scalar('lastLogin', 'date'),
      groups: { kind: 'navigation', name: 'groups', target: 'Group', multiValued: true },
    },
    context: { start: null, end: null },
  },
  Group: {
    id: 'Group',
    displayName: 'Group',
    key: 'name',
    properties: { name: scalar('name'), description: scalar('description') },
    context: { start: null, end: null },
  },
};

/** Seeded groups; the third one has a name that needs quoting everywhere. */
export const seededGroups = ['staff', 'admins', `R&D "core" '; --`] as const;

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

function connectorSettings(base: Settings, tables: { users: string; groups: string; userGroups: string }): Settings {
  return {
    ...base,
    'Account.table': tables.users,
    'Account.columns': 'mail=email,loginCount=login_count,hiredOn=hired_on,lastLogin=last_login',
    'Account.incrementalColumn': 'updated_at',
    'Account.groups.linkTable': tables.userGroups,
    'Account.groups.sourceColumn': 'user_login',
    'Account.groups.targetColumn': 'group_name',
    'Group.table': tables.groups,
  };
}

async function seed(fixture: SqlFixture): Promise<void> {
  for (const group of seededGroups) {
    await fixture.query(`insert into ${fixture.tables.groups} (name, description) values (?, ?)`, [group, 'seeded']);
  }
}

const postgres: SqlBackend = {
  name: 'postgres',
  async probe() {
    const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 2000 });
    await client.connect();
    await client.end();
  },
  async createFixture() {
    const schema = `ordo_sql_${uniqueSuffix()}`;
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    const tables = { users: `${schema}.users`, groups: `${schema}.groups`, userGroups: `${schema}.user_groups` };
    await client.query(`
      create schema ${schema};
      create table ${tables.users} (
        login text primary key, email text not null, title text, enabled boolean, login_count integer,
        hired_on date, last_login timestamptz, updated_at timestamptz not null default clock_timestamp());
      create function ${schema}.touch() returns trigger language plpgsql as
        $$ begin new.updated_at := clock_timestamp(); return new; end $$;
      create trigger touch before update on ${tables.users} for each row execute function ${schema}.touch();
      create table ${tables.groups} (name text primary key, description text);
      create table ${tables.userGroups} (
        user_login text not null references ${tables.users}(login),
        group_name text not null references ${tables.groups}(name),
        primary key (user_login, group_name));`);
    const fixture: SqlFixture = {
      backend: 'postgres',
      settings: connectorSettings({ dialect: 'postgres', url: postgresUrl, poolSize: 4 }, tables),
      tables,
      async query(text, params = []) {
        let n = 0;
        const result = await client.query(
          text.replace(/\?/g, () => `$${++n}`),
          [...params],
        );
        return result.rows;
      },
      async close() {
        await client.query(`drop schema ${schema} cascade`);
        await client.end();
      },
    };
    await seed(fixture);
    return fixture;
  },
};

const mariadb: SqlBackend = {
  name: 'mariadb',
  async probe() {
    const connection = await mysql.createConnection({ uri: mariadbUrl, connectTimeout: 2000 });
    await connection.end();
  },
  async createFixture() {
    const prefix = `ordo_${uniqueSuffix()}`;
    const connection = await mysql.createConnection({ uri: mariadbUrl, multipleStatements: true });
    const tables = { users: `${prefix}_users`, groups: `${prefix}_groups`, userGroups: `${prefix}_user_groups` };
    await connection.query(`
      create table ${tables.users} (
        login varchar(191) primary key, email varchar(320) not null, title varchar(200), enabled tinyint(1),
        login_count int, hired_on date, last_login datetime(3),
        updated_at datetime(6) not null default current_timestamp(6) on update current_timestamp(6)
      ) engine=InnoDB default charset=utf8mb4;
      create table ${tables.groups} (name varchar(191) primary key, description varchar(200))
        engine=InnoDB default charset=utf8mb4;
      create table ${tables.userGroups} (
        user_login varchar(191) not null, group_name varchar(191) not null, primary key (user_login, group_name),
        foreign key (user_login) references ${tables.users}(login),
        foreign key (group_name) references ${tables.groups}(name)
      ) engine=InnoDB default charset=utf8mb4;`);
    const fixture: SqlFixture = {
      backend: 'mariadb',
      settings: connectorSettings({ dialect: 'mariadb', url: mariadbUrl, poolSize: 4 }, tables),
      tables,
      async query(text, params = []) {
        const [rows] = await connection.query(text, [...params]);
        return Array.isArray(rows) ? (rows as RawRow[]) : [];
      },
      async close() {
        await connection.query(`drop table ${tables.userGroups}, ${tables.users}, ${tables.groups}`);
        await connection.end();
      },
    };
    await seed(fixture);
    return fixture;
  },
};

const sqlite: SqlBackend = {
  name: 'sqlite',
  async probe() {},
  async createFixture() {
    const directory = mkdtempSync(join(tmpdir(), 'ordo-sql-'));
    const path = join(directory, 'target.db');
    const database = new Database(path);
    const tables = { users: 'users', groups: 'groups', userGroups: 'user_groups' };
    database.exec(`
      create table users (
        login text primary key, email text not null, title text, enabled integer, login_count integer,
        hired_on text, last_login text,
        updated_at text not null default (strftime('%Y-%m-%d %H:%M:%f', 'now')));
      create trigger touch after update on users for each row when new.updated_at = old.updated_at
        begin update users set updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') where login = new.login; end;
      create table groups (name text primary key, description text);
      create table user_groups (
        user_login text not null references users(login), group_name text not null references groups(name),
        primary key (user_login, group_name));`);
    const fixture: SqlFixture = {
      backend: 'sqlite',
      settings: connectorSettings({ dialect: 'sqlite', path }, tables),
      tables,
      async query(text, params = []) {
        const statement = database.prepare(text);
        if (statement.reader) return statement.all(...params) as RawRow[];
        statement.run(...params);
        return [];
      },
      async close() {
        database.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
    await seed(fixture);
    return fixture;
  },
};

export const sqlBackends: readonly SqlBackend[] = [postgres, mariadb, sqlite];

/**
 * Whether the backend's tests run. A server that does not answer skips them on a workstation,
 * and fails them under CI=true (they run, and fail on connecting).
 */
export async function shouldRun(backend: SqlBackend): Promise<boolean> {
  try {
    await backend.probe();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') return true;
    console.warn(`${backend.name} is not reachable, its SQL connector tests are skipped: ${String(error)}`);
    return false;
  }
}
