import { Badge, Checkbox, Table, Text } from '@mantine/core';
import { WorkflowStateBadge } from '../../ui/state-badge.tsx';
import type { Requestable } from './api.ts';
import { choiceFor } from './request-choice.ts';
import { approvalText } from './request-status.tsx';

const kindNames: Readonly<Record<Requestable['kind'], string>> = {
  composite_role: 'Composite role',
  single_role: 'Single role',
  resource_type: 'Resource type',
};

/** The basket's shelf: each requestable item with its category, approval and current state. */
export function RequestableTable({
  name,
  items,
  selected,
  onToggle,
}: {
  name: string;
  items: readonly Requestable[];
  selected: ReadonlySet<string>;
  onToggle: (item: Requestable) => void;
}) {
  const sorted = [...items].sort(
    (a, b) =>
      (a.categoryName ?? '~').localeCompare(b.categoryName ?? '~') || a.displayName.localeCompare(b.displayName),
  );
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table fz="sm" verticalSpacing={4} highlightOnHover aria-label={`What can be requested for ${name}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Select</Table.Th>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Category</Table.Th>
            <Table.Th scope="col">Approval</Table.Th>
            <Table.Th scope="col">Now</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((item) => {
            const choice = choiceFor(item);
            return (
              <Table.Tr key={item.assignmentId}>
                <Table.Td>
                  {choice.action ? (
                    <Checkbox
                      checked={selected.has(item.assignmentId)}
                      onChange={() => onToggle(item)}
                      aria-label={choice.action === 'add' ? `Add ${item.displayName}` : `Remove ${item.displayName}`}
                      label={choice.action === 'add' ? 'Add' : 'Remove'}
                      color={choice.action === 'remove' ? 'red' : undefined}
                    />
                  ) : (
                    <Text size="xs" c="dimmed">
                      {choice.why}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {item.displayName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {kindNames[item.kind]} · {item.id}
                  </Text>
                </Table.Td>
                <Table.Td>{item.categoryName ?? '—'}</Table.Td>
                <Table.Td>
                  <Badge variant="outline" color={item.approvalSteps > 0 ? 'yellow' : 'green'} tt="none">
                    {approvalText(item.approvalSteps, item.implicitApproval)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {item.currentWorkflowState ? (
                    <WorkflowStateBadge state={item.currentWorkflowState.number} />
                  ) : (
                    <Text size="xs" c="dimmed">
                      Not assigned
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
