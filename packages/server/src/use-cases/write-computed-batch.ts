import type { Assignment, LedgerEntry } from '@ordo/core';
import type { Stores } from '../storage/stores.ts';

/** What one computed batch of identities writes, in one transaction. */
export interface ComputedBatch {
  readonly upserts: readonly Assignment[];
  readonly deletes: readonly string[];
  readonly ledger: readonly Omit<LedgerEntry, 'id'>[];
  /** Identities computed: their change flags are cleared. */
  readonly clean: readonly string[];
}

export async function writeComputedBatch(stores: Pick<Stores, 'transaction'>, batch: ComputedBatch): Promise<void> {
  await stores.transaction(async (tx) => {
    await tx.assignments.saveChanges({ upserts: batch.upserts, deletes: batch.deletes });
    if (batch.ledger.length) await tx.ledger.append(batch.ledger);
    // A computed identity is clean whatever the scope: a complete run covers every reason.
    await tx.resources.clearDirty(batch.clean);
  });
}
