import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';

export type Screen =
  | 'directory'
  | 'role-review'
  | 'provisioning-review'
  | 'manual-provisioning'
  | 'resource-reconciliation'
  | 'role-reconciliation'
  | 'orders'
  | 'errors'
  | 'jobs'
  | 'connectors';

/** A screen the signed-in person may open (GET /api/home), with its queue size. */
export interface Duty {
  readonly screen: Screen;
  readonly entityType: string | null;
  readonly entityTypeName: string | null;
  readonly count: number | null;
  readonly more: boolean;
}

export const homeKey = ['home'] as const;

/** The screens and counts; refreshed every 15 s so the navigation's badges follow the queues. */
export function useDuties() {
  return useQuery({
    queryKey: homeKey,
    queryFn: async () => (await api.get<{ duties: Duty[] }>('/api/home')).duties,
    refetchInterval: 15_000,
  });
}

/** The UI path of a duty's screen. */
export function screenPath(duty: Pick<Duty, 'screen' | 'entityType'>): string {
  const et = encodeURIComponent(duty.entityType ?? '');
  switch (duty.screen) {
    case 'directory':
      return `/directory/${et}`;
    case 'role-review':
      return `/role-review/${et}`;
    case 'provisioning-review':
      return `/provisioning-review/${et}`;
    case 'manual-provisioning':
      return `/manual-provisioning/${et}`;
    case 'resource-reconciliation':
      return `/reconciliation/resources/${et}`;
    case 'role-reconciliation':
      return `/reconciliation/roles/${et}`;
    case 'orders':
      return '/orders';
    case 'errors':
      return '/errors';
    case 'jobs':
      return '/jobs';
    case 'connectors':
      return '/connectors';
  }
}

export const screenTitles: Readonly<Record<Screen, string>> = {
  directory: 'Directory',
  'role-review': 'Role Review',
  'provisioning-review': 'Provisioning Review',
  'manual-provisioning': 'Manual Provisioning',
  'resource-reconciliation': 'Resource Reconciliation',
  'role-reconciliation': 'Role Reconciliation',
  orders: 'Orders',
  errors: 'Errors',
  jobs: 'Job Execution',
  connectors: 'Connectors',
};
