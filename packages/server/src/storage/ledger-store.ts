import type { LedgerEntry } from '@ordo/core';
import type { Selectable } from 'kysely';
import { type BulkRow, type BulkTable, bulkInsert } from './bulk-write.ts';
import type { Database } from './database.ts';
import { asOneOf, fromJson, toJson, toNumber } from './row-codec.ts';
import type { OrderLedgerTable } from './schema.ts';

const stateKinds: readonly LedgerEntry['stateKind'][] = ['provisioning', 'workflow'];
const causeKinds: readonly LedgerEntry['cause']['kind'][] = ['job', 'event', 'user', 'agent'];

/**
 * The order ledger: every state change of every assignment, append-only, in the order appended
 * (ids grow). `expressionResult` goes through JSON: `undefined` is kept as SQL NULL and comes
 * back `undefined`; values JSON cannot carry (functions, Dates' type) come back as JSON makes them.
 */
export class LedgerStore {
  constructor(private readonly database: Database) {}

  async append(entries: readonly Omit<LedgerEntry, 'id'>[]): Promise<void> {
    if (entries.length === 0) return;
    await bulkInsert(this.database, ledgerTable, entries.map(toRow));
  }

  async byAssignment(assignmentId: string): Promise<LedgerEntry[]> {
    return this.where('assignment_id', assignmentId);
  }

  async byOrder(orderId: string): Promise<LedgerEntry[]> {
    return this.where('order_id', orderId);
  }

  async byOwner(ownerId: string): Promise<LedgerEntry[]> {
    return this.where('owner_id', ownerId);
  }

  private async where(column: 'assignment_id' | 'order_id' | 'owner_id', value: string): Promise<LedgerEntry[]> {
    const rows = await this.database.db
      .selectFrom('order_ledger')
      .selectAll()
      .where(column, '=', value)
      .orderBy('id')
      .execute();
    return rows.map(fromRow);
  }
}

/** `id` is left out: the database numbers entries in the order they are appended. */
const ledgerTable: BulkTable = {
  name: 'order_ledger',
  columns: [
    { name: 'assignment_id', type: 'text' },
    { name: 'owner_id', type: 'text' },
    { name: 'state_kind', type: 'text' },
    { name: 'from_state', type: 'integer' },
    { name: 'to_state', type: 'integer' },
    { name: 'event', type: 'text' },
    { name: 'rule_id', type: 'text' },
    { name: 'expression_result', type: 'text' },
    { name: 'message', type: 'text' },
    { name: 'order_id', type: 'text' },
    { name: 'cause_kind', type: 'text' },
    { name: 'cause_id', type: 'text' },
    { name: 'at', type: 'text' },
  ],
};

/** In `ledgerTable`'s column order. */
function toRow(e: Omit<LedgerEntry, 'id'>): BulkRow {
  return [
    e.assignmentId,
    e.ownerId,
    e.stateKind,
    e.from,
    e.to,
    e.event,
    e.ruleId,
    e.expressionResult === undefined ? null : toJson(e.expressionResult),
    e.message,
    e.orderId,
    e.cause.kind,
    e.cause.id,
    e.at,
  ];
}

function fromRow(row: Selectable<OrderLedgerTable>): LedgerEntry {
  const where = (column: string) => `order_ledger row ${row.id}, column ${column}`;
  return {
    id: toNumber(row.id),
    assignmentId: row.assignment_id,
    ownerId: row.owner_id,
    stateKind: asOneOf(row.state_kind, stateKinds, where('state_kind')),
    from: row.from_state,
    to: row.to_state,
    event: row.event,
    ruleId: row.rule_id,
    expressionResult:
      row.expression_result === null ? undefined : fromJson(row.expression_result, where('expression_result')),
    message: row.message,
    orderId: row.order_id,
    cause: { kind: asOneOf(row.cause_kind, causeKinds, where('cause_kind')), id: row.cause_id },
    at: row.at,
  };
}
