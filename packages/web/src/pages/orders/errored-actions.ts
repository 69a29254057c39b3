import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { homeKey } from '../../api/home.ts';
import { type ErroredActionAnswer, ordersKey } from './api.ts';

export type ErroredAction = 'retry' | 'dismiss';
export type ErroredSelection = { orderIds: string[] } | { group: { connector: string; kind: string } };

/**
 * Retry (→ 1 Pending) or dismiss (→ 6 Inactive) errored orders. Afterwards every order list, the
 * inbox, the connectors' counts and the navigation badges are fetched again, since all of them
 * count errored orders.
 */
export function useErroredAction(action: ErroredAction) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (selection: ErroredSelection) =>
      api.post<ErroredActionAnswer>(`/api/orders/errors/${action}`, selection),
    onSuccess: () =>
      Promise.all([
        queries.invalidateQueries({ queryKey: ordersKey }),
        queries.invalidateQueries({ queryKey: ['connectors'] }),
        queries.invalidateQueries({ queryKey: homeKey }),
      ]),
  });
}

const reasons = { not_found: 'no longer exists', not_errored: 'is no longer errored (someone acted first)' } as const;

/** The answer in words: how many changed, and why the others did not. */
export function describeAnswer(action: ErroredAction, answer: ErroredActionAnswer): string {
  const verb = action === 'retry' ? 'sent back to 1 Pending' : 'dismissed to 6 Inactive';
  const done = `${answer.applied.length} order${answer.applied.length === 1 ? '' : 's'} ${verb}.`;
  if (answer.skipped.length === 0) return done;
  const skipped = answer.skipped.map((s) => `${s.orderId.slice(0, 8)} ${reasons[s.reason]}`).join('; ');
  return `${done} ${answer.skipped.length} skipped: ${skipped}.`;
}
