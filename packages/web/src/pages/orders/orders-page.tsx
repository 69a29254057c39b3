import { Button, Center, Text } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api } from '../../api/client.ts';
import { useSearchValues } from '../../app/route-values.ts';
import { useHolds } from '../../session/use-holds.ts';
import { Page, ProblemAlert, QueryState } from '../../ui/page.tsx';
import { type OrderPage, ordersKey } from './api.ts';
import { OrderFilters, type OrderSearch, orderQuery } from './order-filters.tsx';
import { OrdersTable } from './orders-table.tsx';

const pageSize = 50;

/** Orders: every provisioning order, filtered by state, connector, resource type, owner and date. */
export function OrdersPage() {
  const search: OrderSearch = useSearchValues<keyof OrderSearch>();
  const navigate = useNavigate();
  const connectors = useConnectorNames();
  const orders = useInfiniteQuery({
    queryKey: [...ordersKey, 'list', search],
    queryFn: ({ pageParam }) =>
      api.get<OrderPage>('/api/orders', { ...orderQuery(search), cursor: pageParam, limit: pageSize }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = orders.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.keys(search).length > 0;
  return (
    <Page title="Orders">
      <OrderFilters
        key={JSON.stringify(search)}
        search={search}
        connectors={connectors}
        onApply={(next) => void navigate({ to: '/orders', search: next })}
      />
      <QueryState query={orders}>
        {() =>
          items.length === 0 ? (
            <Text c="dimmed" role="status">
              {filtered ? 'No order matches these filters.' : 'No provisioning order yet.'}
            </Text>
          ) : (
            <>
              <Text size="sm" role="status">
                {items.length} order{items.length === 1 ? '' : 's'} shown{orders.hasNextPage ? ', more to load' : ''}.
              </Text>
              <OrdersTable orders={items} label="Provisioning orders, newest first" />
              {orders.isFetchNextPageError && <ProblemAlert error={orders.error} title="Could not load more" />}
              {orders.hasNextPage && (
                <Center>
                  <Button
                    variant="default"
                    loading={orders.isFetchingNextPage}
                    onClick={() => void orders.fetchNextPage()}
                  >
                    Load {pageSize} more orders
                  </Button>
                </Center>
              )}
            </>
          )
        }
      </QueryState>
    </Page>
  );
}

/** Connector names for the filter's suggestions, when the caller may see connectors at all. */
function useConnectorNames(): string[] {
  const allowed = useHolds('/Connectors/Connector/Query');
  const query = useQuery({
    queryKey: ['connectors'],
    queryFn: () => api.get<{ id: string }[]>('/api/connectors'),
    enabled: allowed,
  });
  return (query.data ?? []).map((c) => c.id);
}
