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
 *
 * Storage is one row per event of an assignment: when a workflow move is immediately followed by
 * the provisioning move of the same assignment, cause and time (a rule gives a new value: workflow
 * ∅ → 18 and provisioning ∅ → 1), both go in one row and are read back as the two entries they
 * were, under the same id. A complete computation writes about half as many rows this way.
 */
export class LedgerStore {
  constructor(private readonly database: Database) {}

  async append(entries: readonly Omit<LedgerEntry, 'id'>[]): Promise<void> {
    if (entries.length === 0) return;
    const rows: BulkRow[] = [];
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as Omit<LedgerEntry, 'id'>;
      const next = entries[i + 1];
      if (next && pairs(entry, next)) {
        rows.push(toRow(next, entry));
        i++;
      } else {
        rows.push(toRow(entry, null));
      }
    }
    await bulkInsert(this.database, ledgerTable, rows);
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
    return rows.flatMap(fromRow);
  }
}

/**
 * Whether `workflow` can ride in the row of `provisioning`: same assignment, order, cause and
 * time, and nothing of its own to say besides its move (its rule is the provisioning entry's).
 */
function pairs(workflow: Omit<LedgerEntry, 'id'>, provisioning: Omit<LedgerEntry, 'id'>): boolean {
  return (
    workflow.stateKind === 'workflow' &&
    provisioning.stateKind === 'provisioning' &&
    workflow.assignmentId === provisioning.assignmentId &&
    workflow.ownerId === provisioning.ownerId &&
    workflow.orderId === provisioning.orderId &&
    workflow.at === provisioning.at &&
    workflow.cause.kind === provisioning.cause.kind &&
    workflow.cause.id === provisioning.cause.id &&
    workflow.ruleId === provisioning.ruleId &&
    workflow.message === null &&
    workflow.expressionResult === null
  );
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
    { name: 'paired_from_state', type: 'integer' },
    { name: 'paired_to_state', type: 'integer' },
    { name: 'paired_event', type: 'text' },
  ],
};

/** In `ledgerTable`'s column order; `paired` is the workflow entry carried in the same row. */
function toRow(e: Omit<LedgerEntry, 'id'>, paired: Omit<LedgerEntry, 'id'> | null): BulkRow {
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
    paired ? paired.from : null,
    paired ? paired.to : null,
    paired ? paired.event : null,
  ];
}

function fromRow(row: Selectable<OrderLedgerTable>): LedgerEntry[] {
  const entry = entryOf(row);
  if (row.paired_event === null) return [entry];
  const workflow: LedgerEntry = {
    ...entry,
    stateKind: 'workflow',
    from: row.paired_from_state,
    to: row.paired_to_state,
    event: row.paired_event,
    expressionResult: null,
    message: null,
  };
  return [workflow, entry];
}

function entryOf(row: Selectable<OrderLedgerTable>): LedgerEntry {
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
