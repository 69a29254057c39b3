import { manualWorkflowStates, WorkflowState } from '@ordo/core/src/states.ts';
import type { Requestable } from './api.ts';

/**
 * What a request may do with an item, with the same rules the server applies (request-plan.ts):
 * add what is absent (or was declined/ended), remove only a manual (Approved) assignment, and
 * nothing while a request waits. The server still decides; this only avoids asking the impossible.
 */
export type Choice = { readonly action: 'add' | 'remove' } | { readonly action: null; readonly why: string };

const replaceable: ReadonlySet<number> = new Set([WorkflowState.Declined, WorkflowState.Inactive]);

export function choiceFor(item: Requestable): Choice {
  if (item.pendingRequestId) return { action: null, why: 'A request waits for approval' };
  const current = item.currentWorkflowState;
  if (current === null || replaceable.has(current.number)) return { action: 'add' };
  if (manualWorkflowStates.has(current.number as WorkflowState)) return { action: 'remove' };
  return { action: null, why: 'Given by a rule: rules and reconciliation decide it' };
}

/** Dates typed as YYYY-MM-DD (local) become the instants the API wants: the whole last day counts. */
export function startInstant(day: string): string | undefined {
  return day ? new Date(`${day}T00:00:00`).toISOString() : undefined;
}

export function endInstant(day: string): string | undefined {
  return day ? new Date(`${day}T23:59:59`).toISOString() : undefined;
}
