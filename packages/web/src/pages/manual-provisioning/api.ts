import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, segment } from '../../api/client.ts';
import { homeKey } from '../../api/home.ts';

export interface LinkRef {
  readonly id: string;
  readonly key: string;
}

/** A manual order in 2 Transmitted: the ticket a person carries out (only the fields shown). */
export interface ManualOrder {
  readonly id: string;
  readonly resourceTypeId: string;
  readonly connector: string;
  readonly ownerId: string;
  readonly ownerKey: string | null;
  readonly targetKey: string | null;
  readonly changeType: 'added' | 'modified' | 'deleted';
  readonly scalars: Readonly<Record<string, unknown>>;
  readonly addedLinks: Readonly<Record<string, readonly LinkRef[]>>;
  readonly removedLinks: Readonly<Record<string, readonly LinkRef[]>>;
  readonly state: number;
  readonly notBefore: string | null;
  readonly createdAt: string;
  readonly dispatch: { readonly transmittedAt: string | null };
}

interface OrderPage {
  readonly items: ManualOrder[];
  readonly nextCursor: string | null;
}

/** Each order's outcome: 8 Executed, 4 Verified (no synchronization) or 3 Errored. */
export interface PerformedAnswer {
  readonly orders: readonly { orderId: string; state: number }[];
}

const base = (entityType: string) => `/api/manual-provisioning/${segment(entityType)}`;
export const manualKey = (entityType: string) => ['manual-provisioning', entityType] as const;

/** 25 tickets a page: each shows all its values, so a longer page would be a long scroll. */
export function useManualOrders(entityType: string) {
  return useInfiniteQuery({
    queryKey: manualKey(entityType),
    queryFn: ({ pageParam }) => api.get<OrderPage>(base(entityType), { cursor: pageParam, limit: 25 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export interface ManualAction {
  readonly orderIds: readonly string[];
  /** Absent: confirm (done). Present: report that the change could not be made. */
  readonly errorMessage?: string;
  /** Several orders go through the bulk route (Bulk permission): all or nothing. */
  readonly bulk: boolean;
}

export function usePerform(entityType: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ orderIds, errorMessage, bulk }: ManualAction) => {
      const verb = errorMessage === undefined ? 'confirm' : 'error';
      const body = errorMessage === undefined ? {} : { message: errorMessage };
      return bulk
        ? api.post<PerformedAnswer>(`${base(entityType)}/${verb}`, { orderIds, ...body })
        : api.post<PerformedAnswer>(`${base(entityType)}/${segment(orderIds[0] ?? '')}/${verb}`, body);
    },
    onSettled: async () => {
      await Promise.all([
        queries.invalidateQueries({ queryKey: manualKey(entityType) }),
        queries.invalidateQueries({ queryKey: homeKey }),
      ]);
    },
  });
}
