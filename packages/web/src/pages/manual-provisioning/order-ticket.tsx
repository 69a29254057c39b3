import { Badge, Button, Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import { formatTime } from '../../ui/page.tsx';
import { ProvisioningStateBadge } from '../../ui/state-badge.tsx';
import { formatValue } from '../directory/identity-values.ts';
import { IdentityLink, useIdentityName } from '../role-review/identity-name.tsx';
import type { LinkRef, ManualOrder } from './api.ts';

export interface OrderTicketProps {
  readonly entityType: string;
  readonly order: ManualOrder;
  /** Null when the caller lacks the Bulk permission: no checkbox. */
  readonly selected: boolean | null;
  readonly busy: boolean;
  readonly onSelect: (on: boolean) => void;
  readonly onConfirm: (label: string) => void;
  readonly onReport: (label: string) => void;
}

const changeWords: Readonly<Record<ManualOrder['changeType'], { text: string; color: string }>> = {
  added: { text: 'Create', color: 'green' },
  modified: { text: 'Update', color: 'blue' },
  deleted: { text: 'Delete', color: 'red' },
};

/**
 * One manual order as a table row (dense enough for a laptop; the ticket's values are all shown):
 * what to do, in which system, for whom, on which target, with every value to apply.
 */
export function OrderTicket({ entityType, order, selected, busy, onSelect, onConfirm, onReport }: OrderTicketProps) {
  const name = useIdentityName(entityType, order.ownerId, order.ownerKey);
  const change = changeWords[order.changeType];
  const label = `order ${order.id.slice(0, 8)} (${change.text.toLowerCase()} ${order.resourceTypeId} of ${name})`;
  return (
    <Table.Tr>
      {selected !== null && (
        <Table.Td>
          <Checkbox
            aria-label={`Select ${label}`}
            checked={selected}
            onChange={(e) => onSelect(e.currentTarget.checked)}
          />
        </Table.Td>
      )}
      <Table.Td>
        <Group gap={4}>
          <Badge color={change.color} variant="filled" size="sm">
            {change.text}
          </Badge>
          <Text fw={600} size="sm">
            {order.resourceTypeId}
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          in {order.connector} · {order.id.slice(0, 8)}
        </Text>
      </Table.Td>
      <Table.Td>
        <IdentityLink entityType={entityType} id={order.ownerId} identityKey={order.ownerKey} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }} c={order.targetKey ? undefined : 'dimmed'}>
          {order.targetKey ?? '(new resource)'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Values order={order} />
      </Table.Td>
      <Table.Td>
        <Links verb="Add" links={order.addedLinks} />
        <Links verb="Remove" links={order.removedLinks} />
        {!hasLinks(order.addedLinks) && !hasLinks(order.removedLinks) && (
          <Text size="sm" c="dimmed">
            None
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <ProvisioningStateBadge state={order.state} />
        <Text size="xs" c="dimmed">
          since {formatTime(order.dispatch.transmittedAt ?? order.createdAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="stretch">
          <Button
            size="xs"
            color="green"
            loading={busy}
            onClick={() => onConfirm(label)}
            aria-label={`Confirm ${label} as done`}
          >
            Confirm
          </Button>
          <Button
            size="xs"
            variant="light"
            color="red"
            disabled={busy}
            onClick={() => onReport(label)}
            aria-label={`Report an error for ${label}`}
          >
            Report an error
          </Button>
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

function Values({ order }: { order: ManualOrder }) {
  const entries = Object.entries(order.scalars);
  if (entries.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {order.changeType === 'deleted' ? 'None: delete the resource' : 'None'}
      </Text>
    );
  return (
    <Stack gap={0}>
      {entries.map(([property, value]) => (
        <Text key={property} size="sm" style={{ overflowWrap: 'anywhere' }}>
          <Text span ff="monospace" c="dimmed">
            {property}
          </Text>{' '}
          = {formatValue(value)}
        </Text>
      ))}
    </Stack>
  );
}

function Links({ verb, links }: { verb: string; links: Readonly<Record<string, readonly LinkRef[]>> }) {
  const entries = Object.entries(links).filter(([, refs]) => refs.length > 0);
  if (entries.length === 0) return null;
  return (
    <>
      {entries.map(([property, refs]) => (
        <Text key={`${verb}-${property}`} size="sm" style={{ overflowWrap: 'anywhere' }}>
          {verb}{' '}
          <Text span ff="monospace" c="dimmed">
            {property}
          </Text>
          : {refs.map((r) => r.key).join(', ')}
        </Text>
      ))}
    </>
  );
}

const hasLinks = (links: Readonly<Record<string, readonly LinkRef[]>>) =>
  Object.values(links).some((refs) => refs.length > 0);
