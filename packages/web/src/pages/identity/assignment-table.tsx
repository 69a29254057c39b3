import { Box, Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { formatDate } from '../../ui/page.tsx';
import { ProvisioningStateBadge, WorkflowStateBadge } from '../../ui/state-badge.tsx';
import { formatValue } from '../directory/identity-values.ts';
import type { Assignment } from './api.ts';
import type { NameOf } from './assignment-names.ts';

/** One kind of assignment (e.g. single roles): states, dates, why it is there, and its timeline. */
export function AssignmentTable({
  caption,
  items,
  nameOf,
  onOpen,
}: {
  caption: string;
  items: readonly Assignment[];
  nameOf: NameOf;
  onOpen: (assignmentId: string) => void;
}) {
  // Scalars and navigations are about a value (a mail, a group): it gets its own column.
  const withValue = items.some((a) => a.kind === 'scalar' || a.kind === 'navigation');
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table fz="sm" verticalSpacing={4} highlightOnHover aria-label={caption}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            {withValue && <Table.Th scope="col">Value</Table.Th>}
            <Table.Th scope="col">Workflow state</Table.Th>
            <Table.Th scope="col">Provisioning state</Table.Th>
            <Table.Th scope="col">Start</Table.Th>
            <Table.Th scope="col">End</Table.Th>
            <Table.Th scope="col">Why</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>History</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((a) => {
            const name = nameOf(a);
            return (
              <Table.Tr key={a.id} data-assignment={a.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {name}
                  </Text>
                </Table.Td>
                {withValue && (
                  <Table.Td style={{ wordBreak: 'break-word' }} maw={260}>
                    {formatValue(a.value)}
                  </Table.Td>
                )}
                <Table.Td>
                  {/* max-content: a squeezed table must not cut the state's name */}
                  <Box w="max-content">
                    <WorkflowStateBadge state={a.workflowState.number} />
                  </Box>
                </Table.Td>
                <Table.Td>
                  <Box w="max-content">
                    <ProvisioningStateBadge state={a.provisioningState?.number ?? null} />
                  </Box>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(a.startDate)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(a.endDate)}</Table.Td>
                <Table.Td maw={240}>
                  <Why assignment={a} />
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="light"
                    onClick={() => onOpen(a.id)}
                    aria-label={`Timeline of ${name}`}
                  >
                    Timeline
                  </Button>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Where the assignment comes from: a rule, a request (maybe still waiting), and the last message. */
function Why({ assignment: a }: { assignment: Assignment }) {
  return (
    <>
      <Text size="xs" style={{ wordBreak: 'break-all' }}>
        {a.ruleId ? `Rule ${a.ruleId}` : a.pendingRequestId ? 'Request waiting for approval' : 'No rule (manual)'}
      </Text>
      {a.pendingRequestId && a.ruleId && (
        <Text size="xs" c="dimmed">
          A request is waiting for approval
        </Text>
      )}
      {a.message && (
        <Text size="xs" c="dimmed">
          {a.message}
        </Text>
      )}
    </>
  );
}
