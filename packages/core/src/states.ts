/**
 * Provisioning and workflow state numbers. They are part of Ordo's public API and keep Usercube's
 * numbering on purpose, so that people who know the vendor's screens read ours without a legend.
 */
export const ProvisioningState = {
  None: 0,
  Pending: 1,
  Transmitted: 2,
  Errored: 3,
  Verified: 4,
  AwaitingApproval: 5,
  Inactive: 6,
  Error: 7,
  Executed: 8,
} as const;
export type ProvisioningState = (typeof ProvisioningState)[keyof typeof ProvisioningState];

export const provisioningStateNames: Readonly<Record<ProvisioningState, string>> = {
  0: 'None',
  1: 'Pending',
  2: 'Transmitted',
  3: 'Errored',
  4: 'Verified',
  5: 'Awaiting Approval',
  6: 'Inactive',
  7: 'Error',
  8: 'Executed',
};

export const WorkflowState = {
  None: 0,
  NonConforming: 1,
  RequestedMissingParameters: 2,
  PreExisting: 3,
  Requested: 4,
  CalculatedMissingParameters: 5,
  PendingApproval: 8,
  PendingApproval1Of2: 9,
  PendingApproval2Of2: 10,
  PendingApproval1Of3: 11,
  PendingApproval2Of3: 12,
  PendingApproval3Of3: 13,
  Approved: 16,
  Declined: 17,
  Calculated: 18,
  Inactive: 19,
  Cancellation: 20,
  Suggested: 21,
  SuggestedForExisting: 22,
  AutomaticButWithValidation: 23,
  ApprovedQuestioned: 24,
  PendingApprovalRisk: 25,
  Blocked: 26,
  Prolonged: 27,
  ApprovedRisk: 116,
  GivenByRole: 118,
} as const;
export type WorkflowState = (typeof WorkflowState)[keyof typeof WorkflowState];

export const workflowStateNames: Readonly<Record<WorkflowState, string>> = {
  0: 'None',
  1: 'Non-conforming',
  2: 'Requested – Missing Parameters',
  3: 'Pre-existing',
  4: 'Requested',
  5: 'Calculated – Missing Parameters',
  8: 'Pending Approval',
  9: 'Pending Approval 1 of 2',
  10: 'Pending Approval 2 of 2',
  11: 'Pending Approval 1 of 3',
  12: 'Pending Approval 2 of 3',
  13: 'Pending Approval 3 of 3',
  16: 'Approved',
  17: 'Declined',
  18: 'Calculated',
  19: 'Inactive',
  20: 'Cancellation',
  21: 'Suggested',
  22: 'Suggested (existing)',
  23: 'Automatic but with Validation',
  24: 'Approved – Questioned',
  25: 'Pending Approval – Risk',
  26: 'Blocked',
  27: 'Prolonged',
  116: 'Approved – Risk',
  118: 'Given by a Role',
};

/** Workflow states whose assignment feeds the expected list besides the rules (reference spec §3.5 I). */
export const manualWorkflowStates: ReadonlySet<WorkflowState> = new Set([
  WorkflowState.Approved,
  WorkflowState.ApprovedQuestioned,
  WorkflowState.ApprovedRisk,
]);

/** Non-conforming items not yet refused: kept as derogations until a person decides. */
export const foundWorkflowStates: ReadonlySet<WorkflowState> = new Set([
  WorkflowState.NonConforming,
  WorkflowState.PreExisting,
]);

export function pendingApprovalState(steps: 1 | 2 | 3): WorkflowState {
  if (steps === 1) return WorkflowState.PendingApproval;
  if (steps === 2) return WorkflowState.PendingApproval1Of2;
  return WorkflowState.PendingApproval1Of3;
}
