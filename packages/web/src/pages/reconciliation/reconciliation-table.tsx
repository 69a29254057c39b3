import { Badge, Button, Checkbox, Group, Table, Text } from '@mantine/core';
import { ProvisioningStateBadge, WorkflowStateBadge } from '../../ui/state-badge.tsx';
import { type Decision, describeItem, type ReconciliationItem } from './api.ts';

const categoryNames: Readonly<Record<ReconciliationItem['category'], string>> = {
  orphan: 'Orphan',
  resource_type: 'Resource',
  scalar: 'Property',
  navigation: 'Membership',
  single_role: 'Role',
  composite_role: 'Composite role',
};

function show(value: unknown): string {
  return value === null || value === undefined ? '—' : String(value);
}

function Category({ item }: { item: ReconciliationItem }) {
  if (item.category === 'orphan') {
    return (
      <Group gap={4}>
        <Badge color="orange" variant="light" style={{ flexShrink: 0 }}>
          {item.orphanKind === 'owner_gone' ? 'Orphan: owner gone' : 'Orphan: no owner'}
        </Badge>
        {item.removedAutomatically && (
          <Badge color="gray" variant="outline" style={{ flexShrink: 0 }}>
            removed automatically
          </Badge>
        )}
      </Group>
    );
  }
  return (
    <Group gap={4}>
      <Text size="sm">{categoryNames[item.category]}</Text>
      <WorkflowStateBadge state={item.workflowState} />
    </Group>
  );
}

/**
 * Items waiting for keep or remove. With the Bulk permission each row has a checkbox; without it
 * there are none, since the bulk route would refuse.
 */
export function ReconciliationTable(props: {
  items: readonly ReconciliationItem[];
  area: 'resources' | 'roles';
  selectable: boolean;
  selected: ReadonlySet<string>;
  onSelect: (ids: readonly string[], on: boolean) => void;
  onDecide: (item: ReconciliationItem, decision: Decision) => void;
}) {
  const allOn = props.items.length > 0 && props.items.every((i) => props.selected.has(i.id));
  const someOn = props.items.some((i) => props.selected.has(i.id));
  return (
    <Table.ScrollContainer minWidth={1060}>
      <Table aria-label="Items waiting for reconciliation" striped verticalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            {props.selectable && (
              <Table.Th w={36}>
                <Checkbox
                  aria-label="Select every item shown"
                  checked={allOn}
                  indeterminate={someOn && !allOn}
                  onChange={(e) =>
                    props.onSelect(
                      props.items.map((i) => i.id),
                      e.currentTarget.checked,
                    )
                  }
                />
              </Table.Th>
            )}
            <Table.Th scope="col">Category</Table.Th>
            <Table.Th scope="col">Owner</Table.Th>
            <Table.Th scope="col">{props.area === 'roles' ? 'Role' : 'Resource type'}</Table.Th>
            <Table.Th scope="col">Target key</Table.Th>
            <Table.Th scope="col">Property</Table.Th>
            <Table.Th scope="col">Proposed</Table.Th>
            <Table.Th scope="col">Current</Table.Th>
            <Table.Th scope="col">Provisioning</Table.Th>
            <Table.Th scope="col">Decision</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.items.map((item) => {
            const name = describeItem(item);
            return (
              <Table.Tr key={item.id} data-item={item.id}>
                {props.selectable && (
                  <Table.Td>
                    <Checkbox
                      aria-label={`Select ${name}`}
                      checked={props.selected.has(item.id)}
                      onChange={(e) => props.onSelect([item.id], e.currentTarget.checked)}
                    />
                  </Table.Td>
                )}
                <Table.Td miw={170}>
                  <Category item={item} />
                </Table.Td>
                <Table.Td>{item.ownerKey ?? item.ownerId ?? '—'}</Table.Td>
                <Table.Td>{(props.area === 'roles' ? item.roleId : item.resourceTypeId) ?? '—'}</Table.Td>
                <Table.Td maw={240} style={{ wordBreak: 'break-all' }}>
                  {item.targetKey ?? '—'}
                </Table.Td>
                <Table.Td>{item.property ?? '—'}</Table.Td>
                <Table.Td maw={180} style={{ wordBreak: 'break-all' }}>
                  {item.category === 'navigation' ? show(item.valueKey) : show(item.proposedValue)}
                </Table.Td>
                <Table.Td maw={180} style={{ wordBreak: 'break-all' }}>
                  {show(item.currentValue)}
                </Table.Td>
                <Table.Td miw={150}>
                  {item.provisioningState === null ? '—' : <ProvisioningStateBadge state={item.provisioningState} />}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button
                      size="compact-sm"
                      variant="default"
                      onClick={() => props.onDecide(item, 'keep')}
                      aria-label={`Keep ${name}`}
                    >
                      Keep
                    </Button>
                    <Button
                      size="compact-sm"
                      color="red"
                      variant="light"
                      onClick={() => props.onDecide(item, 'remove')}
                      aria-label={`Remove ${name}`}
                    >
                      Remove
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
