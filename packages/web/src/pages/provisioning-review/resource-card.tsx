import { Button, Card, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { formatDate, ProblemAlert } from '../../ui/page.tsx';
import { ProvisioningStateBadge, WorkflowStateBadge } from '../../ui/state-badge.tsx';
import { IdentityLink, useIdentityName } from '../role-review/identity-name.tsx';
import type { ResourceDecision, ReviewResource, ValueDecision } from './api.ts';
import { ConfidenceCell } from './confidence-cell.tsx';
import { conflictStatus } from './status-message.tsx';
import { confidenceText, decisionOptions, KindBadge, outcomeLabels, ValueText } from './value-text.tsx';

export interface ResourceCardProps {
  readonly entityType: string;
  readonly resource: ReviewResource;
  readonly busy: boolean;
  /** The last refused decision on this resource (a 409 is reported by the list instead). */
  readonly error: unknown;
  readonly onDecide: (decision: ResourceDecision, label: string) => void;
}

/** One resource awaiting approval: who owns it, what changes, each value with its own decision. */
export function ResourceCard({ entityType, resource, busy, error, onDecide }: ResourceCardProps) {
  const [choices, setChoices] = useState<Readonly<Record<string, ValueDecision>>>({});
  const name = useIdentityName(entityType, resource.owner.id, resource.owner.key);
  const labels = outcomeLabels[resource.kind];
  const what = `${resource.resourceTypeId} of ${name}`;
  const decide = (outcome: 'confirm' | 'ignore') =>
    onDecide(
      {
        assignedResourceTypeId: resource.assignedResourceTypeId,
        outcome,
        // Ignore declines everything; the server refuses any other per-value decision with it.
        properties: resource.properties.map((p) => ({
          assignmentId: p.assignmentId,
          decision: outcome === 'ignore' ? 'decline' : (choices[p.assignmentId] ?? 'approve'),
        })),
      },
      `${outcome === 'confirm' ? labels.confirm : labels.ignore} of ${what}`,
    );

  return (
    <Card withBorder padding="sm" component="section" aria-label={`${resource.kind} of ${what}`}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs" wrap="wrap">
            <KindBadge kind={resource.kind} />
            <Text fw={600} size="sm">
              {resource.resourceTypeId}
            </Text>
            <Text size="sm">for</Text>
            <IdentityLink entityType={entityType} id={resource.owner.id} identityKey={resource.owner.key} />
            {resource.target && (
              <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                → {resource.target.key ?? resource.target.id}
              </Text>
            )}
          </Group>
          <Group gap="xs">
            <ProvisioningStateBadge state={resource.provisioningState} />
            <WorkflowStateBadge state={resource.workflowState} />
          </Group>
        </Group>
        <Text size="xs" c="dimmed">
          From {formatDate(resource.startDate)} until {resource.endDate ? formatDate(resource.endDate) : 'no end'}
          {resource.kind === 'association' &&
            ` · confidence rate of the proposed resource ${confidenceText(resource.confidence)}`}
          {resource.message && ` · ${resource.message}`}
        </Text>
        {resource.properties.length > 0 && (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing={4} aria-label={`Values of ${what}`} layout="fixed">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="14%">Property</Table.Th>
                  <Table.Th w="9%">Change</Table.Th>
                  <Table.Th w="22%">Proposed value</Table.Th>
                  <Table.Th w="20%">Current value</Table.Th>
                  <Table.Th w="9%">Confidence</Table.Th>
                  <Table.Th w="26%">Decision</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {resource.properties.map((p) => (
                  <Table.Tr key={p.assignmentId}>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {p.property}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{p.operation ?? '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <ValueText value={p.proposedValue} />
                    </Table.Td>
                    <Table.Td>
                      <ValueText value={p.currentValue} />
                    </Table.Td>
                    <ConfidenceCell value={p.confidence} />
                    <Table.Td>
                      <SegmentedControl
                        size="xs"
                        data={decisionOptions}
                        value={choices[p.assignmentId] ?? 'approve'}
                        onChange={(value) => setChoices((c) => ({ ...c, [p.assignmentId]: value as ValueDecision }))}
                        aria-label={`Decision for ${p.property} of ${what}`}
                        disabled={busy}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {error && !conflictStatus(error) ? <ProblemAlert error={error} title="The decision was refused" /> : null}
        <Group justify="flex-end" gap="xs">
          <Button
            size="xs"
            variant="light"
            color="red"
            disabled={busy}
            onClick={() => decide('ignore')}
            aria-label={`${labels.ignore} of ${what}`}
          >
            {labels.ignore}
          </Button>
          <Button
            size="xs"
            color={resource.kind === 'deletion' ? 'red' : 'green'}
            loading={busy}
            onClick={() => decide('confirm')}
            aria-label={`${labels.confirm} of ${what}`}
          >
            {labels.confirm}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
