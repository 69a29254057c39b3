import { Tabs } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { usePathParams, useSearchValues } from '../../app/route-values.ts';
import { Page } from '../../ui/page.tsx';
import { ErroredOrders } from './errored-orders.tsx';
import { PropertyView } from './property-view.tsx';
import { ResourceView } from './resource-view.tsx';
import { StatusMessage, useStatus } from './status-message.tsx';

const views = ['resource', 'property', 'errored'] as const;
type View = (typeof views)[number];

/**
 * Provisioning Review (reference spec §6): what waits in 5 Awaiting Approval, by resource or by
 * property, and the errored orders to unblock. The tab is the `view` search parameter, so a link
 * or a reload opens the same list.
 */
export function ProvisioningReviewPage() {
  const { entityType } = usePathParams('entityType');
  const search = useSearchValues<'view'>();
  const navigate = useNavigate();
  const view: View = views.find((v) => v === search.view) ?? 'resource';
  const [status, setStatus] = useStatus();

  return (
    <Page title={`Provisioning Review · ${entityType}`}>
      <StatusMessage status={status} onClose={() => setStatus(null)} />
      <Tabs
        value={view}
        onChange={(next) => {
          setStatus(null);
          void navigate({
            to: '/provisioning-review/$entityType',
            params: { entityType },
            search: { view: next ?? 'resource' },
          });
        }}
        keepMounted={false}
      >
        <Tabs.List aria-label="Provisioning review views">
          <Tabs.Tab value="resource">By resource</Tabs.Tab>
          <Tabs.Tab value="property">By property</Tabs.Tab>
          <Tabs.Tab value="errored">Errored orders</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="resource" pt="sm">
          <ResourceView entityType={entityType} onStatus={setStatus} />
        </Tabs.Panel>
        <Tabs.Panel value="property" pt="sm">
          <PropertyView entityType={entityType} onStatus={setStatus} />
        </Tabs.Panel>
        <Tabs.Panel value="errored" pt="sm">
          <ErroredOrders entityType={entityType} onStatus={setStatus} />
        </Tabs.Panel>
      </Tabs>
    </Page>
  );
}
