import type { ProvisionedAssignment } from '../assignments.ts';
import { type ProvisioningEvent, provisioningTransition } from '../lifecycle/provisioning-lifecycle.ts';
import type { StateChange } from '../orders.ts';
import { ProvisioningState } from '../states.ts';

export interface FollowOrderOptions {
  /** Why, for the ledger and for errored assignments' message. */
  readonly message: string | null;
  /** Scalar properties never read back: they stop at 8 Executed instead of taking `verified`. */
  readonly createOnly?: ReadonlySet<string>;
  /** A verified creation: the resource it created, which the resource type assignment now owns. */
  readonly createdTargetId?: string;
}

/**
 * The assignments an order carries follow its state (reference spec §3.5 C–F): each takes the
 * same events, in order, through the provisioning table. An assignment that a newer computation
 * already moved elsewhere refuses the event and is left as it is: the order no longer speaks for it.
 */
export function followOrder(
  assignments: readonly ProvisionedAssignment[],
  events: readonly ProvisioningEvent[],
  options: FollowOrderOptions,
): { updated: ProvisionedAssignment[]; changes: StateChange[] } {
  const updated: ProvisionedAssignment[] = [];
  const changes: StateChange[] = [];
  for (const assignment of assignments) {
    let current: ProvisionedAssignment = assignment;
    for (const event of events) {
      if (event === 'verified' && current.kind === 'scalar' && options.createOnly?.has(current.property)) break;
      const move = provisioningTransition(current.provisioningState, event);
      if (!move.ok || move.state === null) break;
      const to = move.state;
      changes.push({
        assignmentId: current.id,
        ownerId: current.ownerId,
        stateKind: 'provisioning',
        from: current.provisioningState,
        to,
        event,
        ruleId: null,
        expressionResult: null,
        message: options.message,
      });
      current = settled(current, to, options);
    }
    if (current !== assignment) updated.push(current);
  }
  return { updated, changes };
}

function settled(a: ProvisionedAssignment, to: ProvisioningState, options: FollowOrderOptions): ProvisionedAssignment {
  if (to === ProvisioningState.Verified) {
    const done = { ...a, provisioningState: to, pendingOperation: null, message: null };
    if (done.kind === 'resource_type' && options.createdTargetId !== undefined && done.targetResourceId === null) {
      return { ...done, targetResourceId: options.createdTargetId };
    }
    // The system now holds what the rule computed, as the read-back just showed.
    if (done.kind === 'scalar') return { ...done, currentValue: done.computedValue };
    return done;
  }
  if (to === ProvisioningState.Errored) return { ...a, provisioningState: to, message: options.message };
  return { ...a, provisioningState: to };
}
