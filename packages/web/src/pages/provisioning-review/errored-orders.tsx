import { Anchor, Button, Center, Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useHolds } from '../../session/use-holds.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { formatTime, ProblemAlert, QueryState } from '../../ui/page.tsx';
import { ProvisioningStateBadge } from '../../ui/state-badge.tsx';
import { useSelection } from '../../ui/use-selection.ts';
import { IdentityLink } from '../role-review/identity-name.tsx';
import { type ErroredOrder, useErroredOrders, useUnblock } from './api.ts';
import type { Status } from './status-message.tsx';

const shortId = (id: string) => id.slice(0, 8);

/** Errored orders of the entity type's resource types: unblock one, or several with the Bulk permission. */
export function ErroredOrders({ entityType, onStatus }: { entityType: string; onStatus: (s: Status) => void }) {
  const list = useErroredOrders(entityType);
  const unblock = useUnblock(entityType);
  const mayBulk = useHolds(`/Custom/ProvisioningPolicy/BulkReviewProvisioning/${entityType}`);
  const { selected, select, replace } = useSelection();
  const [asked, setAsked] = useState<readonly string[] | null>(null);
  const orders = list.data?.pages.flatMap((p) => p.items) ?? [];

  const run = (ids: readonly string[]) =>
    unblock.mutate(ids, {
      onSuccess: (answer) => {
        setAsked(null);
        replace([]);
        const skipped = answer.skipped.map((s) => `${shortId(s.orderId)} (${s.reason.replace('_', ' ')})`);
        onStatus({
          text: `Unblocked ${answer.applied.length} order${answer.applied.length === 1 ? '' : 's'} (now 1 Pending).${
            skipped.length > 0 ? ` Skipped ${skipped.length}: ${skipped.join(', ')}.` : ''
          }`,
          tone: skipped.length > 0 ? 'conflict' : 'done',
        });
      },
    });
  const ask = (ids: readonly string[]) => {
    unblock.reset();
    setAsked(ids);
  };
  const allOn = orders.length > 0 && orders.every((o) => selected.has(o.id));

  return (
    <QueryState query={list}>
      {() =>
        orders.length === 0 ? (
          <Text c="dimmed">No errored order: nothing of a {entityType} is blocked.</Text>
        ) : (
          <Stack gap="sm">
            {mayBulk && (
              <Group gap="xs">
                <Button size="xs" disabled={selected.size === 0} onClick={() => ask([...selected])}>
                  Unblock selected ({selected.size})
                </Button>
                <Button size="xs" variant="light" onClick={() => ask(orders.map((o) => o.id))}>
                  Unblock all shown ({orders.length})
                </Button>
              </Group>
            )}
            {!asked && <ProblemAlert error={unblock.error} title="Unblocking was refused" />}
            <Table.ScrollContainer minWidth={1000}>
              <Table verticalSpacing={4} layout="fixed" aria-label="Errored orders">
                <Table.Thead>
                  <Table.Tr>
                    {mayBulk && (
                      <Table.Th w={40}>
                        <Checkbox
                          aria-label="Select every errored order shown"
                          checked={allOn}
                          indeterminate={selected.size > 0 && !allOn}
                          onChange={(e) => replace(e.currentTarget.checked ? orders.map((o) => o.id) : [])}
                        />
                      </Table.Th>
                    )}
                    <Table.Th w="9%">Order</Table.Th>
                    <Table.Th w="15%">Owner</Table.Th>
                    <Table.Th w="13%">Resource type</Table.Th>
                    <Table.Th w="16%">Target</Table.Th>
                    <Table.Th w="24%">Error</Table.Th>
                    <Table.Th w="12%">State</Table.Th>
                    <Table.Th w="11%">Action</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {orders.map((o) => (
                    <ErroredRow
                      key={o.id}
                      entityType={entityType}
                      order={o}
                      selectable={mayBulk}
                      selected={selected.has(o.id)}
                      busy={unblock.isPending}
                      onSelect={(on) => select([o.id], on)}
                      onUnblock={() => run([o.id])}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {list.hasNextPage && (
              <Center>
                <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
                  Load more errored orders
                </Button>
              </Center>
            )}
            {asked && (
              <ConfirmDialog
                title={`Unblock ${asked.length} order${asked.length === 1 ? '' : 's'}?`}
                confirmLabel={`Unblock ${asked.length} order${asked.length === 1 ? '' : 's'}`}
                busy={unblock.isPending}
                error={unblock.error}
                onConfirm={() => run(asked)}
                onClose={() => setAsked(null)}
              >
                {`${asked.length} errored order${asked.length === 1 ? '' : 's'} go back to 1 Pending and are sent again by their agents.`}
              </ConfirmDialog>
            )}
          </Stack>
        )
      }
    </QueryState>
  );
}

interface ErroredRowProps {
  readonly entityType: string;
  readonly order: ErroredOrder;
  readonly selectable: boolean;
  readonly selected: boolean;
  readonly busy: boolean;
  readonly onSelect: (on: boolean) => void;
  readonly onUnblock: () => void;
}

function ErroredRow({ entityType, order, selectable, selected, busy, onSelect, onUnblock }: ErroredRowProps) {
  const label = `order ${shortId(order.id)} (${order.resourceTypeId} of ${order.ownerKey ?? order.ownerId})`;
  const error = order.dispatch.lastError;
  return (
    <Table.Tr>
      {selectable && (
        <Table.Td>
          <Checkbox
            aria-label={`Select ${label}`}
            checked={selected}
            onChange={(e) => onSelect(e.currentTarget.checked)}
          />
        </Table.Td>
      )}
      <Table.Td>
        <Anchor
          size="sm"
          ff="monospace"
          renderRoot={(props) => <Link {...props} to="/orders/$orderId" params={{ orderId: order.id }} />}
        >
          {shortId(order.id)}
        </Anchor>
        <Text size="xs" c="dimmed">
          {order.changeType}
        </Text>
      </Table.Td>
      <Table.Td>
        <IdentityLink entityType={entityType} id={order.ownerId} identityKey={order.ownerKey} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{order.resourceTypeId}</Text>
        <Text size="xs" c="dimmed">
          {order.connector}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {order.targetKey ?? '(new)'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {error ? error.message : '—'}
        </Text>
        <Text size="xs" c="dimmed">
          {error ? `${error.kind}, applied: ${error.applied} · ` : ''}
          {order.dispatch.attempts} attempt{order.dispatch.attempts === 1 ? '' : 's'} · created{' '}
          {formatTime(order.createdAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <ProvisioningStateBadge state={order.state} />
      </Table.Td>
      <Table.Td>
        <Button size="xs" variant="light" disabled={busy} onClick={onUnblock} aria-label={`Unblock ${label}`}>
          Unblock
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}
