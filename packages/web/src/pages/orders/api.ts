/** The parts of the order API (packages/server/src/http/routes/order-*.ts) these screens use. */

export interface OrderError {
  readonly message: string;
  readonly kind: string;
  /** `no` | `maybe` | `yes`: whether the system may hold the change despite the error. */
  readonly applied: string;
  readonly retryable: boolean;
}

export interface LinkRef {
  readonly id: string;
  readonly key: string;
}

export interface Order {
  readonly id: string;
  readonly assignedResourceTypeId: string;
  readonly resourceTypeId: string;
  readonly connector: string;
  readonly ownerId: string;
  readonly ownerKey: string | null;
  readonly targetResourceId: string | null;
  readonly targetKey: string | null;
  readonly changeType: 'added' | 'modified' | 'deleted';
  readonly scalars: Readonly<Record<string, unknown>>;
  readonly addedLinks: Readonly<Record<string, readonly LinkRef[]>>;
  readonly removedLinks: Readonly<Record<string, readonly LinkRef[]>>;
  readonly assignmentIds: readonly string[];
  readonly state: number;
  readonly notBefore: string | null;
  readonly createdAt: string;
  readonly runId: string;
  readonly dispatch: {
    readonly attempts: number;
    readonly nextAttemptAt: string | null;
    readonly leaseOwner: string | null;
    readonly maybeApplied: boolean;
    readonly lastError: OrderError | null;
    readonly transmittedAt: string | null;
    readonly executedAt: string | null;
    readonly finishedAt: string | null;
    readonly resultKey: string | null;
  };
}

export interface OrderPage {
  readonly items: readonly Order[];
  readonly nextCursor: string | null;
}

/** One line of the order ledger: a state change of one of the order's assignments. */
export interface LedgerEntry {
  readonly id: number;
  readonly assignmentId: string;
  readonly stateKind: string;
  readonly from: number | null;
  readonly to: number | null;
  readonly event: string;
  readonly ruleId: string | null;
  readonly message: string | null;
  readonly orderId: string | null;
  readonly cause: { readonly kind: string; readonly id: string };
  readonly at: string;
}

export interface OrderWithTimeline {
  readonly order: Order;
  readonly timeline: readonly LedgerEntry[];
}

export interface ErrorGroup {
  readonly connector: string;
  readonly kind: string;
  readonly count: number;
  readonly oldestAt: string;
  readonly newestAt: string;
  readonly examples: readonly {
    readonly orderId: string;
    readonly ownerId: string;
    readonly resourceTypeId: string;
    readonly message: string;
    readonly createdAt: string;
  }[];
}

export interface ErrorsInbox {
  readonly groups: readonly ErrorGroup[];
  readonly total: number;
  /** More errored orders exist than the inbox groups at once. */
  readonly truncated: boolean;
}

/** Per-item answer of retry and dismiss: what changed, and what did not and why. */
export interface ErroredActionAnswer {
  readonly applied: readonly string[];
  readonly skipped: readonly { readonly orderId: string; readonly reason: 'not_found' | 'not_errored' }[];
}

export const ordersKey = ['orders'] as const;
export const errorsKey = ['orders', 'errors'] as const;

/** Permissions the order routes need (`needs(...)` in order-routes.ts). */
export const orderPermissions = {
  unblock: '/ProvisioningPolicy/ProvisioningOrder/Unblock',
  dismiss: '/ProvisioningPolicy/ProvisioningOrder/Dismiss',
} as const;
