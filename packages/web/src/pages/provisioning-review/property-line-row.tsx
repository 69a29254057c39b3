import { Button, Group, SegmentedControl, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { ProblemAlert } from '../../ui/page.tsx';
import { IdentityLink, useIdentityName } from '../role-review/identity-name.tsx';
import type { ReviewLine, ValueDecision } from './api.ts';
import { ConfidenceCell } from './confidence-cell.tsx';
import { conflictStatus } from './status-message.tsx';
import { decisionOptions, KindBadge, ValueText } from './value-text.tsx';

export interface PropertyLineRowProps {
  readonly entityType: string;
  readonly line: ReviewLine;
  readonly busy: boolean;
  readonly error: unknown;
  readonly onApply: (line: ReviewLine, decision: ValueDecision, label: string) => void;
}

/** One pending value with its decision and an Apply button naming the value it decides. */
export function PropertyLineRow({ entityType, line, busy, error, onApply }: PropertyLineRowProps) {
  const [decision, setDecision] = useState<ValueDecision>('approve');
  const name = useIdentityName(entityType, line.owner.id, line.owner.key);
  const what = `${line.property} of ${line.resourceTypeId} for ${name}`;
  return (
    <Table.Tr>
      <Table.Td>
        <IdentityLink entityType={entityType} id={line.owner.id} identityKey={line.owner.key} />
      </Table.Td>
      <Table.Td>
        <KindBadge kind={line.reviewKind} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {line.property}
        </Text>
        <Text size="xs" c="dimmed">
          {line.operation ?? ''}
        </Text>
      </Table.Td>
      <Table.Td>
        <ValueText value={line.proposedValue} />
      </Table.Td>
      <Table.Td>
        <ValueText value={line.currentValue} />
      </Table.Td>
      <ConfidenceCell value={line.confidence} />
      <Table.Td>
        <Group gap={6} wrap="wrap">
          <SegmentedControl
            size="xs"
            data={decisionOptions}
            value={decision}
            onChange={(v) => setDecision(v as ValueDecision)}
            aria-label={`Decision for ${what}`}
            disabled={busy}
          />
          <Button
            size="xs"
            loading={busy}
            onClick={() => onApply(line, decision, `${decisionWord[decision]} ${what}`)}
            aria-label={`Apply: ${decisionWord[decision]} ${what}`}
          >
            Apply
          </Button>
        </Group>
        {error && !conflictStatus(error) ? <ProblemAlert error={error} title="The decision was refused" /> : null}
      </Table.Td>
    </Table.Tr>
  );
}

const decisionWord: Readonly<Record<ValueDecision, string>> = {
  approve: 'Approve',
  decline: 'Decline',
  postpone: 'Postpone',
};
