import type { PendingOperation } from '../../assignments.ts';
import type { ProvisioningEvent } from '../../lifecycle/provisioning-lifecycle.ts';
import { ProvisioningState as P, type ProvisioningState } from '../../states.ts';
import type { ChangeRecorder } from './change-recorder.ts';

/** What the computation wants for one provisioned item, before looking at its stored state. */
export type Desired =
  /** The managed system already holds it. */
  | { readonly kind: 'equal' }
  /** Something must be written; `review` sends it to 5 Awaiting Approval. */
  | { readonly kind: 'write'; readonly op: PendingOperation; readonly review: boolean; readonly message?: string }
  /** Waits for a person without anything to write (an association proposal). */
  | { readonly kind: 'hold'; readonly message: string }
  /** An expression or a lookup failed for this owner. */
  | { readonly kind: 'error'; readonly message: string }
  /** A pending write that is no longer wanted: never sent. */
  | { readonly kind: 'inactive'; readonly message: string };

export interface ProvisioningFields {
  readonly provisioningState: ProvisioningState;
  readonly pendingOperation: PendingOperation | null;
  readonly message: string | null;
  readonly declined: boolean;
}

const noState: ProvisioningFields = {
  provisioningState: P.None,
  pendingOperation: null,
  message: null,
  declined: false,
};
const inFlight: ReadonlySet<ProvisioningState> = new Set([P.Transmitted, P.Executed]);
const waiting: ReadonlySet<ProvisioningState> = new Set([P.Pending, P.AwaitingApproval]);

/**
 * Moves one provisioned item from its stored state to what the computation wants, through the
 * provisioning table (reference spec §3.5 A–F). Values being fixed are not raised again: a pending
 * or held write of the same computation stays as it is, an order in flight waits for its outcome
 * (or is confirmed when the system already shows the value), an errored order waits for a person,
 * and a value declined in review is not proposed again while the computation gives the same.
 * `sameComputation` says whether the stored row was computed with the same value.
 */
export function settleProvisioning(
  recorder: ChangeRecorder,
  subject: { readonly id: string; readonly ownerId: string },
  existing: ProvisioningFields | undefined,
  desired: Desired,
  sameComputation: boolean,
  detail: { readonly ruleId: string | null; readonly result?: unknown },
): ProvisioningFields {
  const from = existing?.provisioningState ?? null;
  if (existing) {
    if (inFlight.has(existing.provisioningState)) {
      if (desired.kind !== 'equal') return existing;
      recorder.provisioning(subject, from, 'verified', { ...detail, message: 'the managed system shows the value' });
      return { provisioningState: P.Verified, pendingOperation: null, message: null, declined: false };
    }
    if (existing.provisioningState === P.Errored) return existing;
    if (unchanged(existing, desired, sameComputation)) return existing;
  }
  const event = eventFor(desired);
  if (desired.kind === 'inactive' && from !== null && !waiting.has(from)) return existing as ProvisioningFields;
  const message = 'message' in desired ? (desired.message ?? null) : null;
  const to = recorder.provisioning(subject, from, event, { ruleId: detail.ruleId, result: detail.result, message });
  if (to === undefined || to === null) return existing ?? { ...noState, message };
  return {
    provisioningState: to,
    pendingOperation: desired.kind === 'write' ? desired.op : null,
    message,
    declined: false,
  };
}

function unchanged(existing: ProvisioningFields, desired: Desired, same: boolean): boolean {
  const state = existing.provisioningState;
  switch (desired.kind) {
    case 'equal':
      return state === P.Verified;
    case 'write':
      if (existing.declined && state === P.None) return same;
      return same && waiting.has(state) && existing.pendingOperation === desired.op;
    case 'hold':
      return state === P.AwaitingApproval && existing.pendingOperation === null && existing.message === desired.message;
    case 'error':
      return state === P.Error && existing.message === desired.message;
    case 'inactive':
      return state === P.Inactive;
  }
}

function eventFor(desired: Desired): ProvisioningEvent {
  switch (desired.kind) {
    case 'equal':
      return 'computed_equal';
    case 'write':
      return desired.review ? 'computed_missing_review' : 'computed_missing';
    case 'hold':
      return 'computed_missing_review';
    case 'error':
      return 'evaluation_failed';
    case 'inactive':
      return 'superseded';
  }
}
