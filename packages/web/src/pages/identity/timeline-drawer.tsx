import { Anchor, Drawer, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { formatTime, QueryState } from '../../ui/page.tsx';
import { ProvisioningStateBadge, WorkflowStateBadge } from '../../ui/state-badge.tsx';
import { type Assignment, movingProvisioningStates, type StateName, type TimelineEntry, useTimeline } from './api.ts';

/**
 * The ledger of one assignment, oldest first: every move of its workflow and provisioning states
 * with who or what caused it. It opens from `?assignment=` so the view can be linked.
 */
export function TimelineDrawer({
  entityType,
  identityId,
  assignmentId,
  assignment,
  title,
  onClose,
}: {
  entityType: string;
  identityId: string;
  assignmentId: string | undefined;
  assignment: Assignment | undefined;
  title: string;
  onClose: () => void;
}) {
  const state = assignment?.provisioningState?.number;
  const moving = state !== undefined && movingProvisioningStates.has(state);
  const timeline = useTimeline(entityType, identityId, assignmentId, moving);
  return (
    <Drawer
      opened={assignmentId !== undefined}
      onClose={onClose}
      position="right"
      size={760}
      title={<Text fw={600}>Timeline · {title}</Text>}
      closeButtonProps={{ 'aria-label': 'Close timeline' }}
    >
      <Stack gap="sm">
        {assignment && (
          <Group gap="xs">
            <Text size="sm">Now:</Text>
            <WorkflowStateBadge state={assignment.workflowState.number} />
            <ProvisioningStateBadge state={assignment.provisioningState?.number ?? null} />
          </Group>
        )}
        <QueryState query={timeline}>
          {() =>
            (timeline.data ?? []).length === 0 ? (
              <Text size="sm">Nothing happened to this permission yet.</Text>
            ) : (
              <TimelineTable title={title} entries={timeline.data ?? []} />
            )
          }
        </QueryState>
      </Stack>
    </Drawer>
  );
}

function TimelineTable({ title, entries }: { title: string; entries: readonly TimelineEntry[] }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table fz="sm" verticalSpacing={4} aria-label={`Timeline of ${title}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Event</Table.Th>
            <Table.Th scope="col">From → to</Table.Th>
            <Table.Th scope="col">By</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTime(e.at)}</Table.Td>
              <Table.Td>
                <Text size="sm">{e.event.replace(/_/g, ' ')}</Text>
                {e.message && (
                  <Text size="xs" c="dimmed">
                    {e.message}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap" preventGrowOverflow={false} w="max-content">
                  <StateBadge kind={e.stateKind} state={e.from} />
                  <span aria-hidden="true">→</span>
                  <StateBadge kind={e.stateKind} state={e.to} />
                </Group>
              </Table.Td>
              <Table.Td>
                <Cause entry={e} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function StateBadge({ kind, state }: { kind: TimelineEntry['stateKind']; state: StateName | null }) {
  if (state === null)
    return (
      <Text size="xs" c="dimmed">
        none
      </Text>
    );
  return kind === 'provisioning' ? (
    <ProvisioningStateBadge state={state.number} />
  ) : (
    <WorkflowStateBadge state={state.number} />
  );
}

/** Who or what moved it ("user account:admin", a job, an agent), the rule, and the order to open. */
function Cause({ entry: e }: { entry: TimelineEntry }) {
  return (
    <Stack gap={0}>
      <Text size="xs">
        {e.cause.kind} {e.cause.id}
      </Text>
      {e.ruleId && (
        <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
          rule {e.ruleId}
        </Text>
      )}
      {e.orderId && (
        <Anchor
          size="xs"
          renderRoot={(props) => <Link {...props} to="/orders/$orderId" params={{ orderId: e.orderId ?? '' }} />}
          aria-label={`Open order ${e.orderId}`}
        >
          order {e.orderId.slice(0, 8)}…
        </Anchor>
      )}
    </Stack>
  );
}
