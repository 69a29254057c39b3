import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, segment } from '../../api/client.ts';
import { homeKey } from '../../api/home.ts';

/** A pending request as GET /api/role-review/:entityType answers (only the fields shown). */
export interface PendingRequest {
  readonly id: string;
  readonly owner: { readonly id: string; readonly key: string; readonly entityType: string };
  readonly item: { readonly kind: 'single_role' | 'composite_role' | 'resource_type'; readonly displayName: string };
  readonly action: 'add' | 'remove';
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly comment: string | null;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly steps: number;
  readonly approvals: number;
  /** "1 of 2" while pending. */
  readonly step: string | null;
  readonly autoDecision: 'approve' | 'decline' | null;
  readonly autoDecideAt: string | null;
  readonly decisions: readonly EarlierDecision[];
  readonly mayDecide: boolean;
}

export interface EarlierDecision {
  readonly step: number;
  readonly decision: 'approved' | 'declined' | 'auto_approved' | 'auto_declined';
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly comment: string | null;
}

interface PendingPage {
  readonly items: PendingRequest[];
  readonly nextCursor: string | null;
}

export const roleReviewKey = (entityType: string) => ['role-review', entityType] as const;

/** Oldest first, 50 at a time ("Load more" follows the cursor). */
export function useRoleReview(entityType: string) {
  return useInfiniteQuery({
    queryKey: roleReviewKey(entityType),
    queryFn: ({ pageParam }) =>
      api.get<PendingPage>(`/api/role-review/${segment(entityType)}`, { cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The step a request waits for: the server checks it, so a stale screen cannot decide twice. */
export function waitingStep(request: PendingRequest): number {
  const parsed = Number.parseInt(request.step ?? '', 10);
  return Number.isFinite(parsed) ? parsed : request.approvals + 1;
}

export interface Decision {
  readonly request: PendingRequest;
  readonly decision: 'approve' | 'decline';
  readonly comment: string;
}

/** Approve or decline one step; afterwards the list and the navigation counts reload, even on failure (409). */
export function useDecide(entityType: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ request, decision, comment }: Decision) =>
      api.post<unknown>(`/api/role-review/${segment(entityType)}/${segment(request.id)}/decision`, {
        decision,
        step: waitingStep(request),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      }),
    onSettled: async () => {
      await Promise.all([
        queries.invalidateQueries({ queryKey: roleReviewKey(entityType) }),
        queries.invalidateQueries({ queryKey: homeKey }),
      ]);
    },
  });
}

/** "account:admin" → "admin": the audit actor prefix means nothing to a reviewer. */
export function actorName(actor: string): string {
  return actor.replace(/^account:/, '');
}
