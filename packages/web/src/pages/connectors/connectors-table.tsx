import { Anchor, Badge, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { formatTime } from '../../ui/page.tsx';
import { ProvisioningStateBadge } from '../../ui/state-badge.tsx';
import type { Breaker, Connector } from './api.ts';
import { connectorHealth, formatAge } from './health.ts';

const healthColors = { ok: 'green', warning: 'yellow', down: 'red' } as const;
const breakerColors = { closed: 'green', half_open: 'yellow', open: 'red' } as const;

function BreakerBadge({ breaker }: { breaker: Breaker | null }) {
  if (!breaker)
    return (
      <Text size="xs" c="dimmed">
        breaker not reported
      </Text>
    );
  return (
    <Badge
      color={breakerColors[breaker.state]}
      variant="light"
      title={breaker.reason ?? undefined}
      style={{ flexShrink: 0 }}
    >
      breaker {breaker.state.replace('_', '-')}
    </Badge>
  );
}

/** Each connector's health at a glance: its connections, queue, oldest pending order and orders by state. */
export function ConnectorsTable(props: { connectors: readonly Connector[]; now: number }) {
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table aria-label="Connectors" striped verticalSpacing={8} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Connector</Table.Th>
            <Table.Th scope="col">Health</Table.Th>
            <Table.Th scope="col">Connections</Table.Th>
            <Table.Th scope="col">Queue</Table.Th>
            <Table.Th scope="col">Oldest pending</Table.Th>
            <Table.Th scope="col">Orders by state</Table.Th>
            <Table.Th scope="col">Agent last seen</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.connectors.map((c) => {
            const health = connectorHealth(c, props.now);
            return (
              <Table.Tr key={c.id} data-connector={c.id}>
                <Table.Th scope="row" fw={500}>
                  <Text size="sm" fw={600}>
                    {c.displayName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {c.id} · {c.entityTypes.join(', ')}
                  </Text>
                </Table.Th>
                <Table.Td>
                  <Badge color={healthColors[health.level]} variant="filled" aria-label={`Health: ${health.text}`}>
                    {health.level === 'ok' ? 'OK' : health.level === 'warning' ? 'Check' : 'Down'}
                  </Badge>
                  <Text size="xs" maw={220}>
                    {health.text}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={4}>
                    <BreakerBadge breaker={c.breaker} />
                    {c.connections.map((x) => {
                      return (
                        <div key={x.id}>
                          <Group gap={6}>
                            <Text size="sm">
                              {x.id}{' '}
                              <Text span c="dimmed" size="xs">
                                ({x.kind})
                              </Text>
                            </Text>
                            {x.disabled !== 'none' && (
                              <Badge color="gray" variant="outline" style={{ flexShrink: 0 }}>
                                {x.disabled} disabled
                              </Badge>
                            )}
                          </Group>
                        </div>
                      );
                    })}
                  </Stack>
                </Table.Td>
                <Table.Td ta="right">{c.queueDepth}</Table.Td>
                <Table.Td>{formatAge(c.oldestPendingAgeSeconds)}</Table.Td>
                <Table.Td>
                  <StateCounts connector={c.id} counts={c.ordersByState} />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTime(c.agentLastSeenAt)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Counts by state, each a link to those orders (so an Errored count leads straight to them). */
function StateCounts({ connector, counts }: { connector: string; counts: Readonly<Record<string, number>> }) {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  if (entries.length === 0)
    return (
      <Text size="xs" c="dimmed">
        no order
      </Text>
    );
  return (
    <Group gap={6}>
      {entries.map(([state, n]) => (
        <Anchor key={state} size="sm" renderRoot={(p) => <Link {...p} to="/orders" search={{ state, connector }} />}>
          <Group gap={4} wrap="nowrap">
            <ProvisioningStateBadge state={Number(state)} />
            <Text span size="sm" fw={600}>
              {n}
              <VisuallyHidden> orders of {connector}</VisuallyHidden>
            </Text>
          </Group>
        </Anchor>
      ))}
    </Group>
  );
}
