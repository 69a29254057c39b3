import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * The people-facing server (issue 4): accounts, sessions and API tokens; manual requests and their
 * approval decisions; jobs, their logs, schedules and locks; the audit log and the notification
 * outbox. All in one migration so that every table of the API ships together.
 */
export function apiMigration(dialect: DialectName): Migration {
  const text = dialect === 'postgres' ? sql`text collate "C"` : 'text';
  const serialId = <T extends string>(table: CreateTableBuilder<T, never>) =>
    table.addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    );
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('login', text, (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('password_hash', 'text')
        .addColumn('identity_id', text)
        .addColumn('profiles', 'text', (c) => c.notNull())
        .addColumn('oidc_issuer', 'text')
        .addColumn('oidc_subject', 'text')
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('accounts_oidc_idx')
        .on('accounts')
        .columns(['oidc_issuer', 'oidc_subject'])
        .unique()
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', text, (c) => c.primaryKey())
        .addColumn('account_id', text, (c) => c.notNull())
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('via', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_account_idx').on('sessions').column('account_id').execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('account_id', text, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', text, (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();

      await db.schema
        .createTable('login_throttle')
        .addColumn('key', text, (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('window_started_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .execute();

      await db.schema
        .createTable('requests')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('owner_id', text, (c) => c.notNull())
        .addColumn('item_kind', text, (c) => c.notNull())
        .addColumn('item_id', text, (c) => c.notNull())
        .addColumn('assignment_id', text, (c) => c.notNull())
        .addColumn('action', text, (c) => c.notNull())
        .addColumn('requested_by', text, (c) => c.notNull())
        .addColumn('requested_at', text, (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('start_date', 'text')
        .addColumn('end_date', 'text')
        .addColumn('steps', 'integer', (c) => c.notNull())
        .addColumn('approvals', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .addColumn('auto_decision', 'text')
        .addColumn('auto_decide_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('requests_status_idx').on('requests').columns(['status', 'requested_at']).execute();
      await db.schema.createIndex('requests_owner_idx').on('requests').columns(['owner_id', 'status']).execute();

      await db.schema
        .createTable('request_decisions')
        .$call(serialId)
        .addColumn('request_id', text, (c) => c.notNull())
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('decision', text, (c) => c.notNull())
        .addColumn('decided_by', text, (c) => c.notNull())
        .addColumn('decided_at', text, (c) => c.notNull())
        .addColumn('comment', 'text')
        // One decision per step: the second of two simultaneous reviewers loses here.
        .addUniqueConstraint('request_decisions_step_uq', ['request_id', 'step'])
        .execute();

      await db.schema
        .createTable('jobs')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('kind', text, (c) => c.notNull())
        .addColumn('task', text)
        .addColumn('connector', text)
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('requested_by', text, (c) => c.notNull())
        .addColumn('schedule_id', text)
        .addColumn('node', text)
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('started_at', text)
        .addColumn('finished_at', text)
        .addColumn('heartbeat_at', text)
        .addColumn('progress', 'text')
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .execute();
      await db.schema.createIndex('jobs_created_idx').on('jobs').columns(['created_at', 'id']).execute();

      await db.schema
        .createTable('job_logs')
        .$call(serialId)
        .addColumn('job_id', text, (c) => c.notNull())
        .addColumn('at', text, (c) => c.notNull())
        .addColumn('level', text, (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('job_logs_job_idx').on('job_logs').columns(['job_id', 'id']).execute();

      await db.schema
        .createTable('job_schedules')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('kind', text, (c) => c.notNull())
        .addColumn('task', text)
        .addColumn('connector', text)
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('next_run_at', text)
        .addColumn('last_run_at', text)
        .addColumn('last_job_id', text)
        .addColumn('created_by', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('job_locks')
        .addColumn('scope', text, (c) => c.primaryKey())
        .addColumn('job_id', text, (c) => c.notNull())
        .addColumn('node', text, (c) => c.notNull())
        .addColumn('expires_at', text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('audit_log')
        .$call(serialId)
        .addColumn('at', text, (c) => c.notNull())
        .addColumn('actor', text, (c) => c.notNull())
        .addColumn('action', text, (c) => c.notNull())
        .addColumn('target_kind', text, (c) => c.notNull())
        .addColumn('target_id', text, (c) => c.notNull())
        .addColumn('before_json', 'text')
        .addColumn('after_json', 'text')
        .addColumn('detail', 'text')
        .execute();
      await db.schema
        .createIndex('audit_log_target_idx')
        .on('audit_log')
        .columns(['target_kind', 'target_id'])
        .execute();
      await db.schema.createIndex('audit_log_at_idx').on('audit_log').columns(['at']).execute();

      await db.schema
        .createTable('notifications')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('kind', text, (c) => c.notNull())
        .addColumn('recipient', text, (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', text)
        .addColumn('sent_at', text)
        .addColumn('last_error', 'text')
        .execute();
      await db.schema
        .createIndex('notifications_due_idx')
        .on('notifications')
        .columns(['status', 'next_attempt_at'])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const table of [
        'notifications',
        'audit_log',
        'job_locks',
        'job_schedules',
        'job_logs',
        'jobs',
        'request_decisions',
        'requests',
        'login_throttle',
        'api_tokens',
        'sessions',
        'accounts',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
