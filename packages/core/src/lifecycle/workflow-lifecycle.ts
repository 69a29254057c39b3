import { WorkflowState as W, type WorkflowState, workflowStateNames } from '../states.ts';
import { type LifecycleTable, transitionIn } from './lifecycle-table.ts';

/** Events that move an assignment's workflow state (reference spec §3.5 I). */
export const workflowEvents = [
  'requested',
  /** A request that a risk (exemption policy ApprovalRequired) sends to review. */
  'requested_with_risk',
  /** A request that a blocking risk stops (it can only be cancelled). */
  'requested_blocked',
  'processed_no_approval',
  'processed_one_step',
  'processed_two_steps',
  'processed_three_steps',
  'step_approved',
  'declined',
  'rule_required',
  'rule_suggested',
  'rule_automatic_with_validation',
  'given_by_role',
  'found',
  'found_first_synchronization',
  'reconciliation_kept',
  'reconciliation_removed',
  'role_cancelled',
  'source_changed_on_approved',
  'computed_value_accepted',
  'rule_lost_with_grace',
  'rule_regained',
  'expired',
  /** A verified value was changed in the managed system outside Ordo: kept as found, no overwrite. */
  'target_changed',
  /** Nothing justifies a provisioned item any more and it may not be removed without a person. */
  'justification_lost',
] as const;
export type WorkflowEvent = (typeof workflowEvents)[number];

const pendingSteps = [
  W.PendingApproval,
  W.PendingApproval1Of2,
  W.PendingApproval2Of2,
  W.PendingApproval1Of3,
  W.PendingApproval2Of3,
  W.PendingApproval3Of3,
] as const;
const active = [
  W.Approved,
  W.Calculated,
  W.GivenByRole,
  W.ApprovedQuestioned,
  W.ApprovedRisk,
  W.NonConforming,
  W.PreExisting,
  W.Prolonged,
] as const;

export const workflowLifecycle: LifecycleTable<WorkflowState, WorkflowEvent> = {
  name: 'workflow',
  states: [
    W.NonConforming,
    W.PreExisting,
    W.Requested,
    ...pendingSteps,
    W.Approved,
    W.Declined,
    W.Calculated,
    W.Inactive,
    W.Cancellation,
    W.Suggested,
    W.AutomaticButWithValidation,
    W.ApprovedQuestioned,
    W.PendingApprovalRisk,
    W.Blocked,
    W.Prolonged,
    W.ApprovedRisk,
    W.GivenByRole,
  ],
  events: workflowEvents,
  transitions: [
    // Manual requests and their approval steps.
    [null, 'requested', W.Requested],
    [W.Requested, 'processed_no_approval', W.Approved],
    [W.Requested, 'processed_one_step', W.PendingApproval],
    [W.Requested, 'processed_two_steps', W.PendingApproval1Of2],
    [W.Requested, 'processed_three_steps', W.PendingApproval1Of3],
    [W.PendingApproval, 'step_approved', W.Approved],
    [W.PendingApproval1Of2, 'step_approved', W.PendingApproval2Of2],
    [W.PendingApproval2Of2, 'step_approved', W.Approved],
    [W.PendingApproval1Of3, 'step_approved', W.PendingApproval2Of3],
    [W.PendingApproval2Of3, 'step_approved', W.PendingApproval3Of3],
    [W.PendingApproval3Of3, 'step_approved', W.Approved],
    ...pendingSteps.map((s) => [s, 'declined', W.Declined] as const),
    // Risks (reference spec §3.5 I): a review because of a risk, or a block.
    [null, 'requested_with_risk', W.PendingApprovalRisk],
    [W.PendingApprovalRisk, 'step_approved', W.ApprovedRisk],
    [W.PendingApprovalRisk, 'declined', W.Declined],
    [null, 'requested_blocked', W.Blocked],
    // Rules.
    [null, 'rule_required', W.Calculated],
    [null, 'rule_suggested', W.Suggested],
    [null, 'rule_automatic_with_validation', W.AutomaticButWithValidation],
    [null, 'given_by_role', W.GivenByRole],
    [W.GivenByRole, 'rule_required', W.Calculated],
    [W.Calculated, 'given_by_role', W.GivenByRole],
    // A rule that turns from suggested (or automatic with validation) to required.
    [W.Suggested, 'rule_required', W.Calculated],
    [W.AutomaticButWithValidation, 'rule_required', W.Calculated],
    // Found by synchronization and not justified: reconciliation decides.
    [null, 'found', W.NonConforming],
    [null, 'found_first_synchronization', W.PreExisting],
    [W.NonConforming, 'reconciliation_kept', W.Approved],
    [W.PreExisting, 'reconciliation_kept', W.Approved],
    [W.NonConforming, 'reconciliation_removed', W.Cancellation],
    [W.PreExisting, 'reconciliation_removed', W.Cancellation],
    // A found item that a rule now justifies becomes calculated.
    [W.NonConforming, 'rule_required', W.Calculated],
    [W.PreExisting, 'rule_required', W.Calculated],
    [W.NonConforming, 'given_by_role', W.GivenByRole],
    [W.PreExisting, 'given_by_role', W.GivenByRole],
    // F: a verified value changed in the target, or an account no rule justifies and that may not
    // be deleted automatically: shown in reconciliation, never overwritten or deleted silently.
    [W.Calculated, 'target_changed', W.NonConforming],
    [W.Calculated, 'justification_lost', W.NonConforming],
    [W.GivenByRole, 'justification_lost', W.NonConforming],
    // Items inferred from a declined or removed role are cancelled (and deprovisioned).
    [W.Calculated, 'role_cancelled', W.Cancellation],
    [W.GivenByRole, 'role_cancelled', W.Cancellation],
    // Manually approved values against a later source change (discard manual assignments off).
    [W.Approved, 'source_changed_on_approved', W.ApprovedQuestioned],
    [W.ApprovedQuestioned, 'computed_value_accepted', W.Calculated],
    // Grace period of a lost automatic assignment.
    [W.Calculated, 'rule_lost_with_grace', W.Prolonged],
    [W.Prolonged, 'rule_regained', W.Calculated],
    // During the grace period a reviewer may keep the assignment, or end it at once (scenario 44).
    [W.Prolonged, 'reconciliation_kept', W.Approved],
    [W.Prolonged, 'reconciliation_removed', W.Cancellation],
    // Expiry of any active assignment.
    ...active.map((s) => [s, 'expired', W.Inactive] as const),
  ],
};

export function describeWorkflowState(s: WorkflowState | null): string {
  return s === null ? '(none)' : `${s} ${workflowStateNames[s]}`;
}

export function workflowTransition(from: WorkflowState | null, event: WorkflowEvent) {
  return transitionIn(workflowLifecycle, from, event, describeWorkflowState);
}
