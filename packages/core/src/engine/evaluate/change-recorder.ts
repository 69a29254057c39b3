import type { Assignment } from '../../assignments.ts';
import { type ProvisioningEvent, provisioningTransition } from '../../lifecycle/provisioning-lifecycle.ts';
import { type WorkflowEvent, workflowTransition } from '../../lifecycle/workflow-lifecycle.ts';
import type { StateChange } from '../../orders.ts';
import type { ProvisioningState, WorkflowState } from '../../states.ts';

/** An evaluation problem reported with the rule that caused it. */
export interface EvaluationError {
  /** Stable code: `EXPRESSION_FAILED`, `LINKED_RESOURCE_MISSING`, `TRANSITION_REFUSED`... */
  readonly code: string;
  readonly ruleId: string;
  readonly message: string;
}

/**
 * Why a row disappears. Removing a row is not a state of the lifecycle tables: the ledger keeps it
 * as a change to `null` with one of these events.
 */
export type RemovalEvent =
  | 'rule_lost'
  | 'expired'
  | 'denied'
  | 'cancellation_applied'
  | 'removal_verified'
  | 'target_gone'
  | 'proposal_withdrawn';

interface Subject {
  readonly id: string;
  readonly ownerId: string;
}

/**
 * Collects the state changes of one evaluation. Every change goes through the lifecycle tables: a
 * refused transition keeps the old state and is reported as a `TRANSITION_REFUSED` error, so that a
 * gap in the engine or in the tables shows instead of silently writing an impossible state.
 */
export class ChangeRecorder {
  // `workflow` and `provisioning` return the new state, or undefined when the table refused it.
  readonly changes: StateChange[] = [];
  readonly errors: EvaluationError[] = [];

  constructor(private readonly ownerId: string) {}

  workflow(
    subject: Subject,
    from: WorkflowState | null,
    event: WorkflowEvent,
    detail: { ruleId: string | null; result?: unknown; message?: string | null },
  ): WorkflowState | null | undefined {
    const outcome = workflowTransition(from, event);
    if (!outcome.ok) {
      this.refused(subject, detail.ruleId, outcome.message);
      return undefined;
    }
    if (outcome.state !== from) this.push(subject, 'workflow', from, outcome.state, event, detail);
    return outcome.state;
  }

  provisioning(
    subject: Subject,
    from: ProvisioningState | null,
    event: ProvisioningEvent,
    detail: { ruleId: string | null; result?: unknown; message?: string | null },
  ): ProvisioningState | null | undefined {
    const outcome = provisioningTransition(from, event);
    if (!outcome.ok) {
      this.refused(subject, detail.ruleId, outcome.message);
      return undefined;
    }
    // A recomputation that stays in the same state (a new value while Pending) is still a change.
    this.push(subject, 'provisioning', from, outcome.state, event, detail);
    return outcome.state;
  }

  removed(assignment: Assignment, event: RemovalEvent, message: string | null = null): void {
    const provisioned = 'provisioningState' in assignment;
    this.changes.push({
      assignmentId: assignment.id,
      ownerId: assignment.ownerId,
      stateKind: provisioned ? 'provisioning' : 'workflow',
      from: provisioned ? assignment.provisioningState : assignment.workflowState,
      to: null,
      event,
      ruleId: assignment.ruleId,
      expressionResult: null,
      message,
    });
  }

  error(code: string, ruleId: string, message: string): void {
    this.errors.push({ code, ruleId, message });
  }

  private refused(subject: Subject, ruleId: string | null, message: string): void {
    this.errors.push({ code: 'TRANSITION_REFUSED', ruleId: ruleId ?? '', message: `${subject.id}: ${message}` });
  }

  private push(
    subject: Subject,
    stateKind: StateChange['stateKind'],
    from: number | null,
    to: number | null,
    event: string,
    detail: { ruleId: string | null; result?: unknown; message?: string | null },
  ): void {
    this.changes.push({
      assignmentId: subject.id,
      ownerId: subject.ownerId ?? this.ownerId,
      stateKind,
      from,
      to,
      event,
      ruleId: detail.ruleId,
      expressionResult: detail.result ?? null,
      message: detail.message ?? null,
    });
  }
}
