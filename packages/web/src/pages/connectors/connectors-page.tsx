import { Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { Page, QueryState } from '../../ui/page.tsx';
import { AgentsTable } from './agents-table.tsx';
import type { Agent, Connector } from './api.ts';
import { ConnectorsTable } from './connectors-table.tsx';

/** Refreshed often: the page is left open on a wall screen while an incident is followed. */
const refreshMs = 10_000;

/** Connectors and their agents: health, breakers, queues and what waits. */
export function ConnectorsPage() {
  const connectors = useQuery({
    queryKey: ['connectors'],
    queryFn: () => api.get<Connector[]>('/api/connectors'),
    refetchInterval: refreshMs,
  });
  const agents = useQuery({
    queryKey: ['agents'],
    queryFn: () => api.get<Agent[]>('/api/agents'),
    refetchInterval: refreshMs,
  });
  // Ages are measured against the moment the answer arrived, so they do not jump between refreshes.
  const now = connectors.dataUpdatedAt || Date.now();
  return (
    <Page title="Connectors">
      <QueryState query={connectors}>
        {() => (
          <Stack gap="xs">
            <Text size="xs" c="dimmed">
              Refreshed every {refreshMs / 1000} s; last at {new Date(now).toLocaleTimeString()}.
            </Text>
            {connectors.data?.length === 0 ? (
              <Text c="dimmed">No connector is configured.</Text>
            ) : (
              <ConnectorsTable connectors={connectors.data ?? []} now={now} />
            )}
          </Stack>
        )}
      </QueryState>
      <Stack gap="xs" component="section">
        <Title order={2} size="h4">
          Agents
        </Title>
        <QueryState query={agents}>{() => <AgentsTable agents={agents.data ?? []} now={now} />}</QueryState>
      </Stack>
    </Page>
  );
}
