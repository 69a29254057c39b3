import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, segment } from '../../api/client.ts';
import { homeKey } from '../../api/home.ts';
import { type Area, type Decision, type DecisionResult, reconciliationKey } from './api.ts';

/**
 * Sends decisions: one item through the plain route, several through the bulk route (all or
 * nothing on the server). The list and the navigation counts are fetched again afterwards.
 */
export function useDecide(area: Area, entityType: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (input: { ids: readonly string[]; decision: Decision; comment: string }) => {
      const comment = input.comment.trim();
      const items = input.ids.map((id) => ({ id, decision: input.decision, ...(comment ? { comment } : {}) }));
      const path = `/api/reconciliation/${area}/${segment(entityType)}/decisions${items.length > 1 ? '/bulk' : ''}`;
      return api.post<{ results: DecisionResult[] }>(path, { items });
    },
    onSuccess: () =>
      Promise.all([
        queries.invalidateQueries({ queryKey: reconciliationKey(area, entityType) }),
        queries.invalidateQueries({ queryKey: homeKey }),
      ]),
  });
}
