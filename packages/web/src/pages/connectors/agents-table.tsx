import { Table, Text } from '@mantine/core';
import { formatTime } from '../../ui/page.tsx';
import type { Agent } from './api.ts';
import { agentSilentAfterSeconds, formatAge } from './health.ts';

/** Agents: which connectors each serves, when it last reported, what it has in flight. */
export function AgentsTable({ agents, now }: { agents: readonly Agent[]; now: number }) {
  if (agents.length === 0) return <Text c="dimmed">No agent is configured.</Text>;
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table aria-label="Agents" striped fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Agent</Table.Th>
            <Table.Th scope="col">Connectors</Table.Th>
            <Table.Th scope="col">Last report</Table.Th>
            <Table.Th scope="col">In flight</Table.Th>
            <Table.Th scope="col">Live tokens</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {agents.map((a) => {
            const age = a.lastStatus ? (now - Date.parse(a.lastStatus.at)) / 1000 : null;
            return (
              <Table.Tr key={a.agent}>
                <Table.Th scope="row">{a.agent}</Table.Th>
                <Table.Td>{a.connectors.join(', ')}</Table.Td>
                <Table.Td>
                  {a.lastStatus ? (
                    <Text size="sm" c={age !== null && age > agentSilentAfterSeconds ? 'red.8' : undefined}>
                      {formatTime(a.lastStatus.at)} ({formatAge(age)} ago)
                    </Text>
                  ) : (
                    <Text size="sm" c="red.8">
                      never reported
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">{a.lastStatus?.inFlight ?? '—'}</Table.Td>
                <Table.Td ta="right">{a.liveTokens}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
