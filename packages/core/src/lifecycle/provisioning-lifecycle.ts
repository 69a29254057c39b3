import { ProvisioningState as P, type ProvisioningState, provisioningStateNames } from '../states.ts';
import { type LifecycleTable, transitionIn } from './lifecycle-table.ts';

/**
 * Events that move a provisioned assignment (resource type, scalar, navigation) and its order.
 * Rebuilt from reference spec §3.5 A–H with DESIGN.md §2's decisions.
 */
export const provisioningEvents = [
  /** Computation finds a value to write and the resource type needs no review. */
  'computed_missing',
  /** Computation finds a value to write and the resource type requires provisioning review. */
  'computed_missing_review',
  /** Computation finds the system already holds the computed value. */
  'computed_equal',
  /** An expression threw for this owner. */
  'evaluation_failed',
  /** The assignment's period ended, or a newer computation replaced it, before hand-off. */
  'superseded',
  'review_approved',
  'review_declined',
  'review_postponed',
  /** Order generation hands the order to an agent lease or the manual-ticket queue. */
  'handed_off',
  'executed',
  'errored',
  /** Targeted read-back or synchronization shows the expected value. */
  'verified',
  /** Read-back or synchronization shows something else. */
  'verification_failed',
  /** The resource type's watchdog: Transmitted or Executed for too long. */
  'watchdog_expired',
  'manual_confirmed',
  /** Manual ticket confirmed on a system that is never synchronized. */
  'manual_confirmed_unsynchronized',
  'manual_error_reported',
  /** A person unblocks an errored order (single or bulk). */
  'unblocked',
  /**
   * A person dismisses an errored order from the errors inbox: it is never sent again. The
   * assignment leaves Errored too (6 Inactive), so the next computation of its owner may propose
   * the value again (6 → 1 or 5), unlike an errored one, which waits for a person.
   */
  'dismissed',
] as const;
export type ProvisioningEvent = (typeof provisioningEvents)[number];

const computedOutcomes = (from: ProvisioningState | null) =>
  [
    [from, 'computed_missing', P.Pending],
    [from, 'computed_missing_review', P.AwaitingApproval],
    [from, 'computed_equal', P.Verified],
    [from, 'evaluation_failed', P.Error],
  ] as const;

export const provisioningLifecycle: LifecycleTable<ProvisioningState, ProvisioningEvent> = {
  name: 'provisioning',
  states: [
    P.None,
    P.Pending,
    P.Transmitted,
    P.Errored,
    P.Verified,
    P.AwaitingApproval,
    P.Inactive,
    P.Error,
    P.Executed,
  ],
  events: provisioningEvents,
  transitions: [
    // A: creation and re-evaluation by the computation.
    ...computedOutcomes(null),
    ...computedOutcomes(P.None),
    // A new computation of a pending or held value replaces it (the old order never goes out).
    ...computedOutcomes(P.Pending),
    ...computedOutcomes(P.AwaitingApproval),
    // A verified value that the rules now compute differently needs a new order.
    [P.Verified, 'computed_missing', P.Pending],
    [P.Verified, 'computed_missing_review', P.AwaitingApproval],
    [P.Verified, 'computed_equal', P.Verified],
    [P.Verified, 'evaluation_failed', P.Error],
    // E: an error of the role model is re-evaluated from scratch once the configuration is fixed.
    ...computedOutcomes(P.Error),
    // H: inactive orders are revived when the computation wants them again.
    ...computedOutcomes(P.Inactive),
    // H: a value whose whole period is already over when first computed is never sent.
    [null, 'superseded', P.Inactive],
    [P.Pending, 'superseded', P.Inactive],
    [P.AwaitingApproval, 'superseded', P.Inactive],
    // B: provisioning review. Decline removes the computed value from what is proposed.
    [P.AwaitingApproval, 'review_approved', P.Pending],
    [P.AwaitingApproval, 'review_declined', P.None],
    [P.AwaitingApproval, 'review_postponed', P.AwaitingApproval],
    // C, D: hand-off and fulfilment.
    [P.Pending, 'handed_off', P.Transmitted],
    [P.Transmitted, 'executed', P.Executed],
    [P.Transmitted, 'errored', P.Errored],
    [P.Transmitted, 'manual_confirmed', P.Executed],
    [P.Transmitted, 'manual_confirmed_unsynchronized', P.Verified],
    [P.Transmitted, 'manual_error_reported', P.Errored],
    [P.Transmitted, 'watchdog_expired', P.Errored],
    // F: verification.
    [P.Executed, 'verified', P.Verified],
    [P.Executed, 'verification_failed', P.Errored],
    [P.Executed, 'watchdog_expired', P.Errored],
    // A synchronization may prove a Transmitted order applied before its result came back.
    [P.Transmitted, 'verified', P.Verified],
    // E: errored orders wait for a person; the next computation does not silently re-issue them.
    [P.Errored, 'unblocked', P.Pending],
    [P.Errored, 'dismissed', P.Inactive],
  ],
};

export function describeProvisioningState(s: ProvisioningState | null): string {
  return s === null ? '(none)' : `${s} ${provisioningStateNames[s]}`;
}

export function provisioningTransition(from: ProvisioningState | null, event: ProvisioningEvent) {
  return transitionIn(provisioningLifecycle, from, event, describeProvisioningState);
}
