import { createRootRoute, createRoute, createRouter, Outlet } from '@tanstack/react-router';
import { ConnectorsPage } from '../pages/connectors/connectors-page.tsx';
import { DirectoryPage } from '../pages/directory/directory-page.tsx';
import { HomePage } from '../pages/home-page.tsx';
import { IdentityPage } from '../pages/identity/identity-page.tsx';
import { JobPage } from '../pages/jobs/job-page.tsx';
import { JobsPage } from '../pages/jobs/jobs-page.tsx';
import { ManualProvisioningPage } from '../pages/manual-provisioning/manual-provisioning-page.tsx';
import { ErrorsPage } from '../pages/orders/errors-page.tsx';
import { OrderPage } from '../pages/orders/order-page.tsx';
import { OrdersPage } from '../pages/orders/orders-page.tsx';
import { ProvisioningReviewPage } from '../pages/provisioning-review/provisioning-review-page.tsx';
import { ReconciliationPage } from '../pages/reconciliation/reconciliation-page.tsx';
import { RoleReviewPage } from '../pages/role-review/role-review-page.tsx';
import { StatesPage } from '../pages/states/states-page.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { SignedInLayout } from './signed-in-layout.tsx';

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
    createRoute({ ...child('/directory/$entityType'), component: DirectoryPage, validateSearch: strings('q') }),
    createRoute({
      ...child('/directory/$entityType/$identityId'),
      component: IdentityPage,
      validateSearch: strings('tab', 'assignment'),
    }),
    createRoute({ ...child('/role-review/$entityType'), component: RoleReviewPage }),
    createRoute({
      ...child('/provisioning-review/$entityType'),
      component: ProvisioningReviewPage,
      validateSearch: strings('view'),
    }),
    createRoute({ ...child('/manual-provisioning/$entityType'), component: ManualProvisioningPage }),
    createRoute({ ...child('/reconciliation/$area/$entityType'), component: ReconciliationPage }),
    createRoute({ ...child('/jobs'), component: JobsPage }),
    createRoute({ ...child('/jobs/$jobId'), component: JobPage }),
    createRoute({
      ...child('/orders'),
      component: OrdersPage,
      validateSearch: strings('state', 'connector', 'resourceType', 'owner', 'from', 'to'),
    }),
    createRoute({ ...child('/orders/$orderId'), component: OrderPage }),
    createRoute({ ...child('/errors'), component: ErrorsPage }),
    createRoute({ ...child('/connectors'), component: ConnectorsPage }),
    createRoute({ ...child('/states'), component: StatesPage, validateSearch: strings('highlight') }),
  ]),
]);

export const router = createRouter({ routeTree, defaultPreload: false, scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
