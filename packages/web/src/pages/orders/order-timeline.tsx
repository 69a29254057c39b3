import { Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { formatTime } from '../../ui/page.tsx';
import { ProvisioningStateBadge } from '../../ui/state-badge.tsx';
import type { LedgerEntry } from './api.ts';

/**
 * The states an order went through, oldest first, for the diagram. An order bundles several
 * assignments (the account and its values) whose ledger lines interleave; they move together, so
 * the distinct consecutive states of all lines are the order's path.
 */
export function orderPath(timeline: readonly LedgerEntry[], current: number): number[] {
  const path: number[] = [];
  const push = (s: number | null) => {
    if (s !== null && path[path.length - 1] !== s) path.push(s);
  };
  const lines = timeline.filter((e) => e.stateKind === 'provisioning').sort((a, b) => a.id - b.id);
  push(lines[0]?.from ?? null);
  for (const line of lines) push(line.to);
  push(current);
  return path;
}

/** The assignment part after the owner's resource type, e.g. `s:mail`; `account` for the resource itself. */
function assignmentLabel(id: string): string {
  const slash = id.indexOf('/');
  return slash === -1 ? 'account' : id.slice(slash + 1);
}

interface Step {
  readonly first: LedgerEntry;
  readonly assignments: string[];
}

/**
 * The same event usually moves every assignment of the order at once (one line each in the
 * ledger); showing it once with the list of assignments keeps the story readable.
 */
function steps(timeline: readonly LedgerEntry[]): Step[] {
  const out: Step[] = [];
  for (const line of timeline) {
    const last = out[out.length - 1];
    const same =
      last &&
      last.first.event === line.event &&
      last.first.from === line.from &&
      last.first.to === line.to &&
      last.first.at === line.at &&
      last.first.message === line.message &&
      last.first.cause.id === line.cause.id;
    if (same) last.assignments.push(assignmentLabel(line.assignmentId));
    else out.push({ first: line, assignments: [assignmentLabel(line.assignmentId)] });
  }
  return out;
}

/** The order's ledger, oldest first: what moved, from which state to which, why, and who. */
export function OrderTimeline({ timeline }: { timeline: readonly LedgerEntry[] }) {
  if (timeline.length === 0) return <Text c="dimmed">The ledger holds no line for this order yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table aria-label="Timeline of this order, oldest first" striped verticalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Event</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Assignments</Table.Th>
            <Table.Th scope="col">Why</Table.Th>
            <Table.Th scope="col">By</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {steps(timeline).map(({ first, assignments }) => (
            <Table.Tr key={first.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTime(first.at)}</Table.Td>
              <Table.Td>
                <code>{first.event}</code>
              </Table.Td>
              <Table.Td miw={290}>
                <Group gap={4} wrap="nowrap">
                  <ProvisioningStateBadge state={first.from} />
                  <span aria-hidden="true">→</span>
                  <VisuallyHidden>to</VisuallyHidden>
                  <ProvisioningStateBadge state={first.to} />
                </Group>
              </Table.Td>
              <Table.Td maw={220}>
                <Text size="xs" style={{ wordBreak: 'break-all' }}>
                  {assignments.join(', ')}
                </Text>
              </Table.Td>
              <Table.Td maw={320}>
                <Text size="xs" style={{ wordBreak: 'break-word' }}>
                  {first.message ?? (first.ruleId ? `rule ${first.ruleId}` : '—')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" style={{ wordBreak: 'break-all' }}>
                  {first.cause.kind}: {first.cause.id}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
