import { Badge, Text } from '@mantine/core';
import { formatValue } from '../directory/identity-values.ts';
import type { ReviewKind, ValueDecision } from './api.ts';

/** A proposed or current value; links show their target key, long values wrap instead of widening the table. */
export function ValueText({ value }: { value: unknown }) {
  const text = formatValue(value);
  return (
    <Text size="sm" style={{ overflowWrap: 'anywhere' }} c={text === '—' ? 'dimmed' : undefined}>
      {text}
    </Text>
  );
}

const kindColors: Readonly<Record<ReviewKind, string>> = {
  addition: 'green',
  association: 'grape',
  update: 'blue',
  deletion: 'red',
};

export function KindBadge({ kind }: { kind: ReviewKind }) {
  return (
    <Badge size="sm" variant="light" color={kindColors[kind]}>
      {kind}
    </Badge>
  );
}

/** Usercube's confidence rate (0–150+); none means the value comes from a rule, not a correlation. */
export function confidenceText(value: number | null): string {
  return value === null ? '—' : `${value}%`;
}

export const decisionOptions: { value: ValueDecision; label: string }[] = [
  { value: 'approve', label: 'Approve' },
  { value: 'decline', label: 'Decline' },
  { value: 'postpone', label: 'Postpone' },
];

/** The two resource buttons as Usercube names them for each kind of change (reference spec §6). */
export const outcomeLabels: Readonly<Record<ReviewKind, { confirm: string; ignore: string }>> = {
  addition: { confirm: 'Confirm creation', ignore: 'Ignore creation' },
  association: { confirm: 'Confirm association', ignore: 'Deny association' },
  update: { confirm: 'Confirm property values', ignore: 'Decline all values' },
  deletion: { confirm: 'Confirm deletion', ignore: 'Keep the resource' },
};
