import { describe, expect, it } from 'vitest';
import type { LifecycleTable, TransitionResult } from '../../src/lifecycle/lifecycle-table.ts';
import {
  type ProvisioningEvent,
  provisioningEvents,
  provisioningLifecycle,
  provisioningTransition,
} from '../../src/lifecycle/provisioning-lifecycle.ts';
import {
  type WorkflowEvent,
  workflowEvents,
  workflowLifecycle,
  workflowTransition,
} from '../../src/lifecycle/workflow-lifecycle.ts';
import {
  type ProvisioningState,
  provisioningStateNames,
  type WorkflowState,
  workflowStateNames,
} from '../../src/states.ts';

/**
 * The allowed transitions written out by hand, "from event to" with "-" for no assignment. This is
 * the specification the tables are checked against: changing a table without changing this list
 * (and so saying what changed on purpose) fails the walk below.
 */
const allowedProvisioning = [
  ...['-', '0', '1', '4', '5', '6', '7'].flatMap((from) => [
    `${from} computed_missing 1`,
    `${from} computed_missing_review 5`,
    `${from} computed_equal 4`,
    `${from} evaluation_failed 7`,
  ]),
  '- superseded 6',
  '1 superseded 6',
  '5 superseded 6',
  '5 review_approved 1',
  '5 review_declined 0',
  '5 review_postponed 5',
  '1 handed_off 2',
  '2 executed 8',
  '2 errored 3',
  '2 manual_confirmed 8',
  '2 manual_confirmed_unsynchronized 4',
  '2 manual_error_reported 3',
  '2 watchdog_expired 3',
  '2 verified 4',
  '8 verified 4',
  '8 verification_failed 3',
  '8 watchdog_expired 3',
  '3 unblocked 1',
  '3 dismissed 6',
];

const allowedWorkflow = [
  '- requested 4',
  '4 processed_no_approval 16',
  '4 processed_one_step 8',
  '4 processed_two_steps 9',
  '4 processed_three_steps 11',
  '8 step_approved 16',
  '9 step_approved 10',
  '10 step_approved 16',
  '11 step_approved 12',
  '12 step_approved 13',
  '13 step_approved 16',
  ...['8', '9', '10', '11', '12', '13', '25'].map((from) => `${from} declined 17`),
  '- requested_with_risk 25',
  '25 step_approved 116',
  '- requested_blocked 26',
  '- rule_required 18',
  '- rule_suggested 21',
  '- rule_automatic_with_validation 23',
  '- given_by_role 118',
  '118 rule_required 18',
  '18 given_by_role 118',
  '- found 1',
  '- found_first_synchronization 3',
  '1 reconciliation_kept 16',
  '3 reconciliation_kept 16',
  '27 reconciliation_kept 16',
  '1 reconciliation_removed 20',
  '3 reconciliation_removed 20',
  '27 reconciliation_removed 20',
  '1 rule_required 18',
  '3 rule_required 18',
  '21 rule_required 18',
  '23 rule_required 18',
  '1 given_by_role 118',
  '3 given_by_role 118',
  '18 target_changed 1',
  '18 justification_lost 1',
  '118 justification_lost 1',
  '18 role_cancelled 20',
  '118 role_cancelled 20',
  '16 source_changed_on_approved 24',
  '24 computed_value_accepted 18',
  '18 rule_lost_with_grace 27',
  '27 rule_regained 18',
  ...['16', '18', '118', '24', '116', '1', '3', '27'].map((from) => `${from} expired 19`),
];

function expectedMap(lines: readonly string[]): Map<string, number | null> {
  const map = new Map<string, number | null>();
  for (const line of lines) {
    const [from, event, to] = line.split(' ');
    map.set(`${from} ${event}`, to === '-' ? null : Number(to));
  }
  return map;
}

/** Every state the API knows (not only those in the table), plus "no assignment". */
function everyState(names: Readonly<Record<number, string>>): (number | null)[] {
  return [null, ...Object.keys(names).map(Number)];
}

function walk<S extends number, E extends string>(
  table: LifecycleTable<S, E>,
  states: readonly (S | null)[],
  events: readonly E[],
  transition: (from: S | null, event: E) => TransitionResult<number>,
  allowed: readonly string[],
) {
  const expected = expectedMap(allowed);
  let allowedSeen = 0;
  for (const from of states) {
    for (const event of events) {
      const key = `${from ?? '-'} ${event}`;
      const result = transition(from, event);
      if (expected.has(key)) {
        allowedSeen += 1;
        expect(result, key).toEqual({ ok: true, state: expected.get(key) });
      } else {
        expect(result.ok, `${key} should be refused`).toBe(false);
        if (!result.ok) {
          expect(result.code).toBe('TRANSITION_REFUSED');
          expect(result.message).toContain(`"${event}"`);
          expect(result.message).toContain(table.name);
        }
      }
    }
  }
  // Every hand-written transition was reached, so the list holds no typo that would pass vacuously.
  expect(allowedSeen).toBe(expected.size);
}

describe.each([
  {
    name: 'provisioning',
    table: provisioningLifecycle as LifecycleTable<number, string>,
    states: everyState(provisioningStateNames) as (ProvisioningState | null)[],
    events: provisioningEvents,
    transition: (f: number | null, e: string) =>
      provisioningTransition(f as ProvisioningState | null, e as ProvisioningEvent),
    allowed: allowedProvisioning,
  },
  {
    name: 'workflow',
    table: workflowLifecycle as LifecycleTable<number, string>,
    states: everyState(workflowStateNames) as (WorkflowState | null)[],
    events: workflowEvents,
    transition: (f: number | null, e: string) => workflowTransition(f as WorkflowState | null, e as WorkflowEvent),
    allowed: allowedWorkflow,
  },
])('$name lifecycle', ({ table, states, events, transition, allowed }) => {
  it('walks every (state × event) pair: allowed ones go where the table says, all others are refused', () => {
    walk(table, states, events, transition, allowed);
  });

  it('has one target per (state, event) pair', () => {
    const pairs = table.transitions.map(([from, event]) => `${from ?? '-'} ${event}`);
    expect(pairs.filter((p, i) => pairs.indexOf(p) !== i)).toEqual([]);
  });

  it('uses only its own states and events, and every event and state appears in a transition', () => {
    const known = new Set<number | null>([null, ...table.states]);
    for (const [from, event, to] of table.transitions) {
      expect(known.has(from), `${from} in ${table.name}.states`).toBe(true);
      expect(known.has(to), `${to} in ${table.name}.states`).toBe(true);
      expect(table.events).toContain(event);
    }
    const used = new Set(table.transitions.flat());
    for (const e of table.events) expect(used.has(e), `event ${e} is used`).toBe(true);
    for (const s of table.states) expect(used.has(s), `state ${s} is used`).toBe(true);
  });
});

describe('anchor facts of reference spec §3.2 and DESIGN §2', () => {
  const to = (from: ProvisioningState | null, event: ProvisioningEvent) => {
    const r = provisioningTransition(from, event);
    return r.ok ? r.state : r.code;
  };

  it('computation inserts a needed change in 1 (or 5 under review) and an equal value in 4', () => {
    expect(to(null, 'computed_missing')).toBe(1);
    expect(to(null, 'computed_missing_review')).toBe(5);
    expect(to(4, 'computed_equal')).toBe(4);
  });

  it('review: 5 → approve → 1, postpone stays 5, decline leaves nothing to send', () => {
    expect(to(5, 'review_approved')).toBe(1);
    expect(to(5, 'review_postponed')).toBe(5);
    expect(to(5, 'review_declined')).toBe(0);
  });

  it('fulfilment: 1 → hand-off → 2 → executed → 8 → verified → 4', () => {
    expect(to(1, 'handed_off')).toBe(2);
    expect(to(2, 'executed')).toBe(8);
    expect(to(8, 'verified')).toBe(4);
  });

  it('errors: 2 → errored → 3, 3 → unblocked → 1, and 2 or 8 → watchdog → 3', () => {
    expect(to(2, 'errored')).toBe(3);
    expect(to(3, 'unblocked')).toBe(1);
    expect(to(3, 'dismissed')).toBe(6);
    expect(to(2, 'watchdog_expired')).toBe(3);
    expect(to(8, 'watchdog_expired')).toBe(3);
  });

  it('manual tickets: confirm → 8, confirm on an unsynchronized system → 4, report error → 3', () => {
    expect(to(2, 'manual_confirmed')).toBe(8);
    expect(to(2, 'manual_confirmed_unsynchronized')).toBe(4);
    expect(to(2, 'manual_error_reported')).toBe(3);
  });

  it('an order is never handed off twice, nor from review, nor after an error without a person', () => {
    expect(to(2, 'handed_off')).toBe('TRANSITION_REFUSED');
    expect(to(5, 'handed_off')).toBe('TRANSITION_REFUSED');
    expect(to(3, 'handed_off')).toBe('TRANSITION_REFUSED');
    expect(to(3, 'computed_missing')).toBe('TRANSITION_REFUSED');
  });

  it('DESIGN §2.10: a pending value whose period ended before hand-off becomes 6, never after', () => {
    expect(to(1, 'superseded')).toBe(6);
    expect(to(2, 'superseded')).toBe('TRANSITION_REFUSED');
  });

  it('the refusal says which table, which event and which state', () => {
    expect(provisioningTransition(4, 'executed')).toEqual({
      ok: false,
      code: 'TRANSITION_REFUSED',
      message: 'provisioning: event "executed" is not allowed in state 4 Verified',
    });
  });

  it('workflow: two-step approval 4 → 9 → 10 → 16; a decline at any step → 17', () => {
    const w = (from: WorkflowState | null, event: WorkflowEvent) => {
      const r = workflowTransition(from, event);
      return r.ok ? r.state : r.code;
    };
    expect(w(4, 'processed_two_steps')).toBe(9);
    expect(w(9, 'step_approved')).toBe(10);
    expect(w(10, 'step_approved')).toBe(16);
    expect(w(9, 'declined')).toBe(17);
    expect(w(16, 'source_changed_on_approved')).toBe(24);
    expect(w(24, 'computed_value_accepted')).toBe(18);
  });
});
