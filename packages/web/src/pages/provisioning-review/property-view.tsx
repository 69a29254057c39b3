import { Button, Center, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { QueryState } from '../../ui/page.tsx';
import { type ReviewLine, useDecideResource, useReviewLines, useReviewResources, type ValueDecision } from './api.ts';
import { PropertyLineRow } from './property-line-row.tsx';
import { conflictStatus, type Status } from './status-message.tsx';

/**
 * Property view (reference spec §6): every pending value of one resource type, decided inline.
 * Deciding one line asks the server to postpone every value it does not list (`unlisted`), so
 * only the line you decided changes, including values on pages not loaded yet.
 */
export function PropertyView({ entityType, onStatus }: { entityType: string; onStatus: (s: Status) => void }) {
  const resources = useReviewResources(entityType);
  const types = [...new Set(resources.data?.pages.flatMap((p) => p.items.map((r) => r.resourceTypeId)) ?? [])].sort();
  const [picked, setPicked] = useState<string | null>(null);
  const resourceType = picked ?? types[0] ?? null;
  const lines = useReviewLines(entityType, resourceType);
  const decide = useDecideResource(entityType);
  const all = lines.data?.pages.flatMap((p) => p.items) ?? [];

  const apply = (line: ReviewLine, decision: ValueDecision, label: string) => {
    decide.mutate(
      {
        assignedResourceTypeId: line.assignedResourceTypeId,
        outcome: 'confirm',
        properties: [{ assignmentId: line.assignmentId, decision }],
        unlisted: 'postpone',
      },
      {
        onSuccess: () => onStatus({ text: `${label}: done.`, tone: 'done' }),
        onError: (error) => {
          const conflict = conflictStatus(error);
          if (conflict) onStatus(conflict);
        },
      },
    );
  };

  return (
    <QueryState query={resources}>
      {() =>
        types.length === 0 ? (
          <Text c="dimmed">Nothing waits for review: no value of a {entityType} awaits approval.</Text>
        ) : (
          <Stack gap="sm">
            <Select
              label="Resource type"
              data={types}
              value={resourceType}
              onChange={setPicked}
              allowDeselect={false}
              w={320}
            />
            <QueryState query={lines}>
              {() => (
                <>
                  {all.length === 0 ? (
                    <Text c="dimmed">No value of {resourceType} awaits approval.</Text>
                  ) : (
                    <Table.ScrollContainer minWidth={1000}>
                      <Table verticalSpacing={4} layout="fixed" aria-label={`Pending values of ${resourceType}`}>
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th w="15%">Owner</Table.Th>
                            <Table.Th w="9%">Kind</Table.Th>
                            <Table.Th w="11%">Property</Table.Th>
                            <Table.Th w="15%">Proposed value</Table.Th>
                            <Table.Th w="13%">Current value</Table.Th>
                            <Table.Th w="8%">Confidence</Table.Th>
                            <Table.Th w="29%">Decision</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {all.map((line) => (
                            <PropertyLineRow
                              key={line.assignmentId}
                              entityType={entityType}
                              line={line}
                              busy={
                                decide.isPending && decide.variables?.properties[0]?.assignmentId === line.assignmentId
                              }
                              error={
                                decide.variables?.properties[0]?.assignmentId === line.assignmentId
                                  ? decide.error
                                  : null
                              }
                              onApply={apply}
                            />
                          ))}
                        </Table.Tbody>
                      </Table>
                    </Table.ScrollContainer>
                  )}
                  {lines.hasNextPage && (
                    <Center>
                      <Button
                        variant="default"
                        onClick={() => lines.fetchNextPage()}
                        loading={lines.isFetchingNextPage}
                      >
                        Load more values
                      </Button>
                    </Center>
                  )}
                </>
              )}
            </QueryState>
          </Stack>
        )
      }
    </QueryState>
  );
}
