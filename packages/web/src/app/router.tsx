import { createRootRoute, createRoute, createRouter, lazyRouteComponent, Outlet } from '@tanstack/react-router';
import { HomePage } from '../pages/home-page.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { SignedInLayout } from './signed-in-layout.tsx';

// Each screen is its own chunk, loaded when first opened: the sign-in page and the home page do
// not wait for the code of every screen (route-values.ts says why pages read their values loosely).

/** Search parameters arrive as untrusted text: keep the strings we know, drop the rest. */
function strings<K extends string>(...names: K[]) {
  return (search: Record<string, unknown>): Partial<Record<K, string>> => {
    const out: Partial<Record<K, string>> = {};
    for (const name of names) {
      const value = search[name];
      if (typeof value === 'string' && value !== '') out[name] = value;
      else if (typeof value === 'number') out[name] = String(value);
    }
    return out;
  };
}

const rootRoute = createRootRoute({ component: () => <Outlet />, notFoundComponent: NotFoundPage });
const app = createRoute({ getParentRoute: () => rootRoute, id: 'app', component: SignedInLayout });
const child = <P extends string>(path: P) => ({ getParentRoute: () => app, path });

const routeTree = rootRoute.addChildren([
  app.addChildren([
    createRoute({ ...child('/'), component: HomePage }),
    createRoute({
      ...child('/directory/$entityType'),
      component: lazyRouteComponent(() => import('../pages/directory/directory-page.tsx'), 'DirectoryPage'),
      validateSearch: strings('q'),
    }),
    createRoute({
      ...child('/directory/$entityType/$identityId'),
      component: lazyRouteComponent(() => import('../pages/identity/identity-page.tsx'), 'IdentityPage'),
      validateSearch: strings('tab', 'assignment'),
    }),
    createRoute({
      ...child('/role-review/$entityType'),
      component: lazyRouteComponent(() => import('../pages/role-review/role-review-page.tsx'), 'RoleReviewPage'),
    }),
    createRoute({
      ...child('/provisioning-review/$entityType'),
      component: lazyRouteComponent(
        () => import('../pages/provisioning-review/provisioning-review-page.tsx'),
        'ProvisioningReviewPage',
      ),
      validateSearch: strings('view'),
    }),
    createRoute({
      ...child('/manual-provisioning/$entityType'),
      component: lazyRouteComponent(
        () => import('../pages/manual-provisioning/manual-provisioning-page.tsx'),
        'ManualProvisioningPage',
      ),
    }),
    createRoute({
      ...child('/reconciliation/$area/$entityType'),
      component: lazyRouteComponent(
        () => import('../pages/reconciliation/reconciliation-page.tsx'),
        'ReconciliationPage',
      ),
    }),
    createRoute({
      ...child('/jobs'),
      component: lazyRouteComponent(() => import('../pages/jobs/jobs-page.tsx'), 'JobsPage'),
    }),
    createRoute({
      ...child('/jobs/$jobId'),
      component: lazyRouteComponent(() => import('../pages/jobs/job-page.tsx'), 'JobPage'),
    }),
    createRoute({
      ...child('/orders'),
      component: lazyRouteComponent(() => import('../pages/orders/orders-page.tsx'), 'OrdersPage'),
      validateSearch: strings('state', 'connector', 'resourceType', 'owner', 'from', 'to'),
    }),
    createRoute({
      ...child('/orders/$orderId'),
      component: lazyRouteComponent(() => import('../pages/orders/order-page.tsx'), 'OrderPage'),
    }),
    createRoute({
      ...child('/errors'),
      component: lazyRouteComponent(() => import('../pages/orders/errors-page.tsx'), 'ErrorsPage'),
    }),
    createRoute({
      ...child('/connectors'),
      component: lazyRouteComponent(() => import('../pages/connectors/connectors-page.tsx'), 'ConnectorsPage'),
    }),
    createRoute({
      ...child('/states'),
      component: lazyRouteComponent(() => import('../pages/states/states-page.tsx'), 'StatesPage'),
      validateSearch: strings('highlight'),
    }),
  ]),
]);

export const router = createRouter({ routeTree, defaultPreload: false, scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
