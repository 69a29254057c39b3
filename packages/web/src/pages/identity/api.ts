import { useQuery } from '@tanstack/react-query';
import { api, segment } from '../../api/client.ts';
import type { IdentitySummary } from '../directory/api.ts';

/** The shapes of the directory and request routes this screen uses (directory-routes.ts, request-routes.ts). */

export interface StateName {
  readonly number: number;
  readonly name: string;
}

export interface IdentityDetail extends IdentitySummary {
  readonly links: Readonly<Record<string, readonly { id: string; key: string }[]>>;
  readonly owns: readonly { assignmentId: string; resourceTypeId: string; resource: IdentitySummary }[];
}

export type AssignmentKind = 'composite_role' | 'single_role' | 'resource_type' | 'scalar' | 'navigation';

export interface TimelineEntry {
  readonly id: number;
  readonly at: string;
  readonly stateKind: 'provisioning' | 'workflow';
  readonly from: StateName | null;
  readonly to: StateName | null;
  readonly event: string;
  readonly ruleId: string | null;
  readonly message: string | null;
  readonly orderId: string | null;
  readonly cause: { kind: string; id: string };
}

export interface Assignment {
  readonly id: string;
  readonly kind: AssignmentKind;
  readonly label: string;
  /** Display names from the configuration ("Atlas account: mail = …"). */
  readonly displayName: string;
  readonly roleId: string | null;
  readonly resourceTypeId: string | null;
  readonly property: string | null;
  readonly value: unknown;
  readonly workflowState: StateName;
  readonly provisioningState: StateName | null;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly ruleId: string | null;
  readonly message: string | null;
  readonly pendingRequestId: string | null;
  readonly timeline: readonly TimelineEntry[];
}

export type RequestItemKind = 'single_role' | 'composite_role' | 'resource_type';

export interface Requestable {
  readonly kind: RequestItemKind;
  readonly id: string;
  readonly displayName: string;
  readonly category: string | null;
  readonly categoryName: string | null;
  readonly approvalSteps: number;
  readonly implicitApproval: boolean;
  readonly assignmentId: string;
  readonly currentWorkflowState: StateName | null;
  readonly pendingRequestId: string | null;
}

export interface RequestView {
  readonly id: string;
  readonly item: { kind: RequestItemKind; id: string; displayName: string };
  readonly assignmentId: string;
  readonly action: 'add' | 'remove';
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly comment: string | null;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly steps: number;
  readonly approvals: number;
  readonly status: 'pending' | 'approved' | 'declined' | 'cancelled';
  readonly step: string | null;
  readonly decidedAt: string | null;
  readonly decisions: readonly { step: number; decision: string; decidedBy: string; decidedAt: string }[];
}

export interface RequestInput {
  readonly itemKind: RequestItemKind;
  readonly itemId: string;
  readonly action: 'add' | 'remove';
  readonly startDate?: string;
  readonly endDate?: string;
  readonly comment?: string;
}

/** Every query of one identity starts with this key, so one invalidation refreshes the whole page. */
export const identityKey = (entityType: string, id: string) => ['identity', entityType, id] as const;

const base = (entityType: string, id: string) => `/api/directory/${segment(entityType)}/${segment(id)}`;

/**
 * Provisioning states that still move on their own (1 Pending, 2 Transmitted, 5 Awaiting Approval,
 * 8 Executed): while one is shown, the page polls so a person watches 5 → 1 → 8 → 4 happen.
 */
export const movingProvisioningStates: ReadonlySet<number> = new Set([1, 2, 5, 8]);
export const pollMs = 5_000;
/**
 * Some values stay 8 Executed for good (chosen once at creation, never compared again): after this
 * long without a change, an 8 is no longer watched, so the page does not poll forever.
 */
const executedWatchMs = 5 * 60_000;

export function isMoving(items: readonly Assignment[] | undefined, now = Date.now()): boolean {
  return (items ?? []).some((a) => {
    const state = a.provisioningState?.number;
    if (state === undefined || !movingProvisioningStates.has(state)) return false;
    if (state !== 8) return true;
    const last = a.timeline.at(-1)?.at;
    return last !== undefined && now - new Date(last).getTime() < executedWatchMs;
  });
}

export function useIdentity(entityType: string, id: string) {
  return useQuery({
    queryKey: [...identityKey(entityType, id), 'detail'],
    queryFn: () => api.get<IdentityDetail>(base(entityType, id)),
  });
}

export function usePermissions(entityType: string, id: string) {
  return useQuery({
    queryKey: [...identityKey(entityType, id), 'permissions'],
    queryFn: async () => (await api.get<{ items: Assignment[] }>(`${base(entityType, id)}/permissions`)).items,
    refetchInterval: (query) => (isMoving(query.state.data) ? pollMs : false),
  });
}

export function useTimeline(entityType: string, id: string, assignmentId: string | undefined, moving: boolean) {
  return useQuery({
    queryKey: [...identityKey(entityType, id), 'timeline', assignmentId],
    queryFn: async () =>
      (
        await api.get<{ items: TimelineEntry[] }>(
          `${base(entityType, id)}/permissions/${segment(assignmentId ?? '')}/timeline`,
        )
      ).items,
    enabled: assignmentId !== undefined,
    refetchInterval: moving ? pollMs : false,
  });
}

export function useRequestable(entityType: string, id: string) {
  return useQuery({
    queryKey: [...identityKey(entityType, id), 'requestable'],
    queryFn: async () => (await api.get<{ items: Requestable[] }>(`${base(entityType, id)}/requestable`)).items,
  });
}

export function createRequest(entityType: string, id: string, input: RequestInput): Promise<RequestView> {
  return api.post<RequestView>(`${base(entityType, id)}/requests`, input);
}

export function cancelRequest(requestId: string): Promise<RequestView> {
  return api.post<RequestView>(`/api/requests/${segment(requestId)}/cancel`);
}

/** Every request about the identity, newest first (GET …/requests). */
export function useIdentityRequests(entityType: string, id: string) {
  return useQuery({
    queryKey: [...identityKey(entityType, id), 'requests'],
    queryFn: async () => (await api.get<{ items: RequestView[] }>(`${base(entityType, id)}/requests?limit=200`)).items,
  });
}
