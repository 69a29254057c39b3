import { Alert, Badge, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { formatTime } from '../../ui/page.tsx';
import type { LinkRef, Order } from './api.ts';

function show(value: unknown): string {
  if (value === null || value === undefined) return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** What the order asks of the system: its scalar values and the links it adds or removes. */
export function OrderValues({ order }: { order: Order }) {
  const rows = [
    ...Object.entries(order.scalars).map(([name, value]) => ({ name, change: 'set', value: show(value) })),
    ...links(order.addedLinks, 'add'),
    ...links(order.removedLinks, 'remove'),
  ];
  if (rows.length === 0) return <Text c="dimmed">This order carries no value (the account itself only).</Text>;
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table aria-label="Values of this order" striped withTableBorder fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Property</Table.Th>
            <Table.Th scope="col">Change</Table.Th>
            <Table.Th scope="col">Value</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={`${row.name}:${row.change}:${row.value}`}>
              <Table.Td>{row.name}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={row.change === 'remove' ? 'red' : 'blue'}>
                  {row.change}
                </Badge>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>{row.value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function links(byName: Readonly<Record<string, readonly LinkRef[]>>, change: string) {
  return Object.entries(byName).flatMap(([name, refs]) => refs.map((ref) => ({ name, change, value: ref.key })));
}

/** A term and its description; definition lists read well to screen readers. */
function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <Text component="dt" size="xs" c="dimmed">
        {term}
      </Text>
      <Text component="dd" size="sm" m={0} style={{ wordBreak: 'break-all' }}>
        {children}
      </Text>
    </div>
  );
}

/** Where the order is in its hand-off: attempts, lease, times and the last error as the connector said it. */
export function OrderFacts({ order }: { order: Order }) {
  const d = order.dispatch;
  return (
    <Stack gap="sm">
      <SimpleGrid component="dl" cols={{ base: 2, md: 4 }} spacing="sm" verticalSpacing="xs" m={0}>
        <Fact term="Owner">{order.ownerKey ?? order.ownerId}</Fact>
        <Fact term="Resource type">{order.resourceTypeId}</Fact>
        <Fact term="Connector">{order.connector}</Fact>
        <Fact term="Change">{order.changeType}</Fact>
        <Fact term="Target">{order.targetKey ?? '— (new resource)'}</Fact>
        <Fact term="Created">{formatTime(order.createdAt)}</Fact>
        <Fact term="Not before">{formatTime(order.notBefore)}</Fact>
        <Fact term="Attempts">{d.attempts}</Fact>
        <Fact term="Next attempt">{formatTime(d.nextAttemptAt)}</Fact>
        <Fact term="Leased by">{d.leaseOwner ?? '—'}</Fact>
        <Fact term="Transmitted">{formatTime(d.transmittedAt)}</Fact>
        <Fact term="Executed">{formatTime(d.executedAt)}</Fact>
        <Fact term="Finished">{formatTime(d.finishedAt)}</Fact>
        <Fact term="Result key">{d.resultKey ?? '—'}</Fact>
        <Fact term="Generation run">{order.runId}</Fact>
        <Fact term="Order id">{order.id}</Fact>
      </SimpleGrid>
      {d.lastError && (
        <Alert color="red" title={`Last error: ${d.lastError.kind}`}>
          <Text size="sm">{d.lastError.message}</Text>
          <Text size="xs" mt={4}>
            Applied in the system: {d.lastError.applied};{' '}
            {d.lastError.retryable
              ? 'the connector says a retry may work'
              : 'the connector says a retry as is will not help'}
            .
          </Text>
        </Alert>
      )}
      {d.maybeApplied && !d.lastError && (
        <Alert color="yellow" title="May already be applied">
          <Text size="sm">An earlier attempt may have reached the system; the next synchronization tells.</Text>
        </Alert>
      )}
    </Stack>
  );
}

export function SectionTitle({ children, id }: { children: React.ReactNode; id?: string }) {
  return (
    <Title order={2} size="h4" id={id}>
      {children}
    </Title>
  );
}
