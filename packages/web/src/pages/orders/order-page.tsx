import { Anchor, Card, Group, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, segment } from '../../api/client.ts';
import { usePathParams } from '../../app/route-values.ts';
import { Page, QueryState } from '../../ui/page.tsx';
import { ProvisioningStateBadge } from '../../ui/state-badge.tsx';
import { StateDiagram } from '../../ui/state-diagram.tsx';
import { type OrderWithTimeline, ordersKey } from './api.ts';
import { OrderActions } from './order-actions.tsx';
import { OrderTimeline, orderPath } from './order-timeline.tsx';
import { OrderFacts, OrderValues, SectionTitle } from './order-values.tsx';

/** One order: what it asks, where it is, how it got there (ledger and diagram), and what may be done. */
export function OrderPage() {
  const { orderId } = usePathParams('orderId');
  const query = useQuery({
    queryKey: [...ordersKey, 'one', orderId],
    queryFn: () => api.get<OrderWithTimeline>(`/api/orders/${segment(orderId)}`),
    // An order in flight moves by itself (agent, watchdog): follow it without a reload.
    refetchInterval: (q) => (q.state.data && [1, 2, 8].includes(q.state.data.order.state) ? 5_000 : false),
  });
  const order = query.data?.order;
  const title = order
    ? `Order: ${order.changeType} ${order.resourceTypeId} for ${order.ownerKey ?? order.ownerId}`
    : 'Order';
  return (
    <Page title={title} actions={order && <ProvisioningStateBadge state={order.state} />}>
      <Anchor renderRoot={(props) => <Link {...props} to="/orders" />} size="sm">
        ← All orders
      </Anchor>
      <QueryState query={query}>
        {() =>
          query.data && (
            <Stack gap="lg">
              <OrderActions order={query.data.order} />
              <Card withBorder component="section" aria-labelledby="order-facts">
                <Stack gap="sm">
                  <Group justify="space-between">
                    <SectionTitle id="order-facts">Hand-off</SectionTitle>
                  </Group>
                  <OrderFacts order={query.data.order} />
                </Stack>
              </Card>
              <Stack gap="xs" component="section">
                <SectionTitle>Values</SectionTitle>
                <OrderValues order={query.data.order} />
              </Stack>
              <Stack gap="xs" component="section">
                <SectionTitle>Where it is in the lifecycle</SectionTitle>
                <StateDiagram
                  highlight={query.data.order.state}
                  path={orderPath(query.data.timeline, query.data.order.state)}
                />
              </Stack>
              <Stack gap="xs" component="section">
                <SectionTitle>Timeline</SectionTitle>
                <OrderTimeline timeline={query.data.timeline} />
              </Stack>
            </Stack>
          )
        }
      </QueryState>
    </Page>
  );
}
