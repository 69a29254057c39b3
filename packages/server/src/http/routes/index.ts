import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.ts';
import { accountRoutes } from './account-routes.ts';
import { auditRoutes } from './audit-routes.ts';
import { connectorRoutes } from './connector-routes.ts';
import { directoryRoutes } from './directory-routes.ts';
import { jobRoutes } from './job-routes.ts';
import { manualProvisioningRoutes } from './manual-provisioning-routes.ts';
import { notificationRoutes } from './notification-routes.ts';
import { oidcRoutes } from './oidc-routes.ts';
import { orderRoutes } from './order-routes.ts';
import { provisioningReviewRoutes } from './provisioning-review-routes.ts';
import { reconciliationRoutes } from './reconciliation-routes.ts';
import { requestRoutes } from './request-routes.ts';
import { roleReviewRoutes } from './role-review-routes.ts';
import { sessionRoutes } from './session-routes.ts';

export type RouteModule = (app: FastifyInstance, deps: ApiDeps) => Promise<void>;

/** Every module of the people-facing API, one per screen or duty. */
export const apiRouteModules: readonly RouteModule[] = [
  sessionRoutes,
  accountRoutes,
  auditRoutes,
  connectorRoutes,
  oidcRoutes,
  jobRoutes,
  provisioningReviewRoutes,
  manualProvisioningRoutes,
  orderRoutes,
  reconciliationRoutes,
  notificationRoutes,
  directoryRoutes,
  requestRoutes,
  roleReviewRoutes,
];
