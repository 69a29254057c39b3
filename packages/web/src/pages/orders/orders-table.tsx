import { Anchor, Badge, Table, Text } from '@mantine/core';
import { Link, useNavigate } from '@tanstack/react-router';
import { formatTime } from '../../ui/page.tsx';
import { ProvisioningStateBadge } from '../../ui/state-badge.tsx';
import type { Order } from './api.ts';

const changeColors = { added: 'green', modified: 'blue', deleted: 'red' } as const;

/** Orders, newest first; each row opens the order (the link in the first cell is the keyboard way). */
export function OrdersTable({ orders, label }: { orders: readonly Order[]; label: string }) {
  const navigate = useNavigate();
  return (
    <Table.ScrollContainer minWidth={1040}>
      <Table highlightOnHover striped aria-label={label} verticalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col">Resource type</Table.Th>
            <Table.Th scope="col">Owner</Table.Th>
            <Table.Th scope="col">Change</Table.Th>
            <Table.Th scope="col">Target key</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Attempts</Table.Th>
            <Table.Th scope="col">Last error</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orders.map((order) => (
            <Table.Tr
              key={order.id}
              style={{ cursor: 'pointer' }}
              onClick={(e) => {
                // The link handles its own clicks (and middle clicks); the row is a larger target.
                if ((e.target as HTMLElement).closest('a')) return;
                void navigate({ to: '/orders/$orderId', params: { orderId: order.id } });
              }}
            >
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Anchor
                  renderRoot={(props) => <Link {...props} to="/orders/$orderId" params={{ orderId: order.id }} />}
                  aria-label={`${formatTime(order.createdAt)}: order ${order.id.slice(0, 8)}, ${order.changeType} ${order.resourceTypeId} for ${order.ownerKey ?? order.ownerId}`}
                  size="sm"
                >
                  {formatTime(order.createdAt)}
                </Anchor>
              </Table.Td>
              <Table.Td>{order.resourceTypeId}</Table.Td>
              <Table.Td>{order.ownerKey ?? order.ownerId}</Table.Td>
              <Table.Td miw={110}>
                <Badge variant="dot" color={changeColors[order.changeType]}>
                  {order.changeType}
                </Badge>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all', maxWidth: 260 }}>{order.targetKey ?? '—'}</Table.Td>
              <Table.Td miw={170}>
                <ProvisioningStateBadge state={order.state} />
              </Table.Td>
              <Table.Td ta="right">{order.dispatch.attempts}</Table.Td>
              <Table.Td maw={260}>
                {order.dispatch.lastError ? (
                  <Text size="xs" lineClamp={2} title={order.dispatch.lastError.message}>
                    {order.dispatch.lastError.kind}: {order.dispatch.lastError.message}
                  </Text>
                ) : (
                  '—'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
