import { WorkflowState as W, type WorkflowState } from '../../states.ts';

/** Workflow states in which an assignment grants what depends on it (downstream rules). */
export const grantingStates: ReadonlySet<WorkflowState> = new Set([
  W.Calculated,
  W.GivenByRole,
  W.Approved,
  W.ApprovedQuestioned,
  W.ApprovedRisk,
  W.NonConforming,
  W.PreExisting,
  W.Prolonged,
]);

/** Kept without a rule: manual assignments and derogations not yet refused (reference spec §3.5 I). */
export const keptStates: ReadonlySet<WorkflowState> = new Set([
  W.Approved,
  W.ApprovedQuestioned,
  W.ApprovedRisk,
  W.NonConforming,
  W.PreExisting,
]);

/** Made by a rule, and gone with it. */
export const ruleMadeStates: ReadonlySet<WorkflowState> = new Set([
  W.Calculated,
  W.GivenByRole,
  W.Suggested,
  W.AutomaticButWithValidation,
]);

/** A person refused it: what was inferred from it is cancelled (workflow 20). */
export const refusedStates: ReadonlySet<WorkflowState> = new Set([W.Declined, W.Cancellation]);

export function isExpired(endDate: string | null, now: string): boolean {
  return endDate !== null && Date.parse(endDate) < Date.parse(now);
}

/** A manual request still in its approval workflow: the request use cases own it, not the rules. */
export const requestInProgressStates: ReadonlySet<WorkflowState> = new Set([
  W.Requested,
  W.PendingApproval,
  W.PendingApproval1Of2,
  W.PendingApproval2Of2,
  W.PendingApproval1Of3,
  W.PendingApproval2Of3,
  W.PendingApproval3Of3,
  W.PendingApprovalRisk,
  W.Blocked,
]);
