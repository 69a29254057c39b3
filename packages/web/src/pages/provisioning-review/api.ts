import { type QueryClient, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, segment } from '../../api/client.ts';
import { homeKey } from '../../api/home.ts';

export type ReviewKind = 'addition' | 'association' | 'update' | 'deletion';
export type ValueDecision = 'approve' | 'decline' | 'postpone';

interface Dated {
  readonly provisioningState: number;
  readonly workflowState: number;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly message: string | null;
}

/** One pending value (scalar or link) of a resource awaiting approval. */
export interface ReviewValue extends Dated {
  readonly assignmentId: string;
  readonly kind: 'scalar' | 'navigation';
  readonly property: string;
  readonly operation: 'add' | 'update' | 'remove' | null;
  readonly proposedValue: unknown;
  readonly currentValue: unknown;
  readonly confidence: number | null;
}

interface Owner {
  readonly id: string;
  readonly key: string | null;
}

/** Resource view: one assigned resource type in 5 Awaiting Approval with its pending values. */
export interface ReviewResource extends Dated {
  readonly assignedResourceTypeId: string;
  readonly resourceTypeId: string;
  readonly kind: ReviewKind;
  readonly owner: Owner;
  readonly target: { readonly id: string; readonly key: string | null } | null;
  readonly confidence: number | null;
  /** The resource itself (creation, association, deletion) waits, not only some values. */
  readonly resourceAwaiting: boolean;
  readonly properties: readonly ReviewValue[];
}

/** Property view: one pending value with the resource it belongs to. */
export interface ReviewLine extends ReviewValue {
  readonly assignedResourceTypeId: string;
  readonly resourceTypeId: string;
  readonly owner: Owner;
  readonly reviewKind: ReviewKind;
}

/** An errored order (only the fields the screen shows). */
export interface ErroredOrder {
  readonly id: string;
  readonly resourceTypeId: string;
  readonly connector: string;
  readonly ownerId: string;
  readonly ownerKey: string | null;
  readonly targetKey: string | null;
  readonly changeType: 'added' | 'modified' | 'deleted';
  readonly state: number;
  readonly createdAt: string;
  readonly dispatch: {
    readonly attempts: number;
    readonly lastError: { readonly message: string; readonly kind: string; readonly applied: string } | null;
  };
}

interface Paged<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

const base = (entityType: string) => `/api/provisioning-review/${segment(entityType)}`;
export const reviewKey = (entityType: string) => ['provisioning-review', entityType] as const;
const pageSize = 25;

function usePaged<T>(key: readonly unknown[], path: string, query: Record<string, string>, enabled = true) {
  return useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => api.get<Paged<T>>(path, { ...query, cursor: pageParam, limit: pageSize }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export const useReviewResources = (entityType: string) =>
  usePaged<ReviewResource>([...reviewKey(entityType), 'resource'], base(entityType), { view: 'resource' });

export const useReviewLines = (entityType: string, resourceType: string | null) =>
  usePaged<ReviewLine>(
    [...reviewKey(entityType), 'property', resourceType],
    base(entityType),
    { view: 'property', resourceType: resourceType ?? '' },
    resourceType !== null,
  );

export const useErroredOrders = (entityType: string) =>
  usePaged<ErroredOrder>([...reviewKey(entityType), 'errored'], `${base(entityType)}/errored`, {});

/** Every change reloads the three lists (a decision can move items between them) and the nav counts. */
async function reload(queries: QueryClient, entityType: string) {
  await Promise.all([
    queries.invalidateQueries({ queryKey: reviewKey(entityType) }),
    queries.invalidateQueries({ queryKey: homeKey }),
  ]);
}

export interface ResourceDecision {
  readonly assignedResourceTypeId: string;
  readonly outcome: 'confirm' | 'ignore';
  readonly properties: readonly { assignmentId: string; decision: ValueDecision }[];
  /** What happens to the values not listed: approved (resource view) or postponed (property view). */
  readonly unlisted?: 'approve' | 'postpone';
}

export interface DecisionAnswer {
  readonly decided: readonly { assignmentId: string; decision: ValueDecision; provisioningState: number }[];
}

export function useDecideResource(entityType: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ assignedResourceTypeId, ...decision }: ResourceDecision) =>
      api.post<DecisionAnswer>(`${base(entityType)}/resources/${segment(assignedResourceTypeId)}/decision`, decision),
    onSettled: () => reload(queries, entityType),
  });
}

export interface UnblockAnswer {
  readonly applied: readonly string[];
  readonly skipped: readonly { orderId: string; reason: 'not_found' | 'not_errored' }[];
}

/** One order goes through the single route (needs only Review); several through the bulk route (needs Bulk). */
export function useUnblock(entityType: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (orderIds: readonly string[]) =>
      orderIds.length === 1
        ? api.post<UnblockAnswer>(`${base(entityType)}/errored/${segment(orderIds[0] ?? '')}/unblock`)
        : api.post<UnblockAnswer>(`${base(entityType)}/errored/unblock`, { orderIds }),
    onSettled: () => reload(queries, entityType),
  });
}
