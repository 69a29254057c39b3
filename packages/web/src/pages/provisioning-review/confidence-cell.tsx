import { Table, Text } from '@mantine/core';
import { confidenceText } from './value-text.tsx';

/** Low correlation confidence (below 100) is what a reviewer must look at twice: say it in words too. */
export function ConfidenceCell({ value }: { value: number | null }) {
  const low = value !== null && value < 100;
  return (
    <Table.Td>
      <Text size="sm" c={low ? 'orange.8' : undefined} fw={low ? 600 : undefined}>
        {confidenceText(value)}
        {low && ' (low)'}
      </Text>
    </Table.Td>
  );
}
