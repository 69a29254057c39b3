/** The parts of the reconciliation API (reconciliation-routes.ts) this screen uses. */

export type Area = 'resources' | 'roles';
export type Decision = 'keep' | 'remove';

type Scalar = string | number | boolean | null;

export interface ReconciliationItem {
  readonly id: string;
  readonly category: 'orphan' | 'resource_type' | 'scalar' | 'navigation' | 'single_role' | 'composite_role';
  readonly workflowState: number | null;
  readonly ownerId: string | null;
  readonly ownerKey: string | null;
  readonly resourceTypeId: string | null;
  readonly roleId: string | null;
  readonly targetKey: string | null;
  readonly property: string | null;
  readonly proposedValue: Scalar;
  readonly currentValue: Scalar;
  readonly valueKey: string | null;
  readonly provisioningState: number | null;
  readonly orphanKind: 'owner_gone' | 'unowned' | null;
  /** The resource type removes orphans by itself: the item shows what will happen, for the record. */
  readonly removedAutomatically: boolean;
}

export interface ReconciliationItemsPage {
  readonly items: readonly ReconciliationItem[];
  readonly nextCursor: string | null;
}

export interface DecisionResult {
  readonly id: string;
  readonly decision: Decision;
  readonly workflowState: number | null;
  readonly orderId: string | null;
}

/** At most this many items per bulk decision (the route's limit). */
export const maxBulk = 500;

/** The permissions the routes need: the plain one per item, the Bulk one for several at once. */
export function reconciliationPermissions(area: Area, entityType: string) {
  return area === 'resources'
    ? {
        single: `/Custom/ProvisioningPolicy/ReconciliateResources/${entityType}`,
        bulk: `/Custom/ProvisioningPolicy/BulkReconciliateResources/${entityType}`,
      }
    : {
        single: `/Custom/ProvisioningPolicy/ReconciliateRoles/${entityType}`,
        bulk: `/Custom/ProvisioningPolicy/BulkRoleReconciliation/${entityType}`,
      };
}

export const reconciliationKey = (area: Area, entityType: string) => ['reconciliation', area, entityType] as const;

/** An item in words, for button names and confirmations ("orphan LdapAccount uid=former1,…"). */
export function describeItem(item: ReconciliationItem): string {
  const owner = item.ownerKey ?? item.ownerId ?? 'no owner';
  switch (item.category) {
    case 'orphan':
      return `orphan ${item.resourceTypeId ?? 'resource'} ${item.targetKey ?? item.id}`;
    case 'resource_type':
      return `${item.resourceTypeId} ${item.targetKey ?? ''} of ${owner}`.replace('  ', ' ');
    case 'scalar':
      return `${item.property} of ${item.targetKey ?? owner}`;
    case 'navigation':
      return `${item.property} ${item.valueKey ?? ''} of ${item.targetKey ?? owner}`;
    default:
      return `role ${item.roleId} of ${owner}`;
  }
}
