import { Button, Center, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { QueryState } from '../../ui/page.tsx';
import { type ResourceDecision, useDecideResource, useReviewResources } from './api.ts';
import { ResourceCard } from './resource-card.tsx';
import { conflictStatus, type Status } from './status-message.tsx';

interface Asked {
  readonly decision: ResourceDecision;
  readonly label: string;
}

/** Resource view: one card per resource awaiting approval, decided as a whole. */
export function ResourceView({ entityType, onStatus }: { entityType: string; onStatus: (s: Status) => void }) {
  const list = useReviewResources(entityType);
  const decide = useDecideResource(entityType);
  const [asked, setAsked] = useState<Asked | null>(null);
  const resources = list.data?.pages.flatMap((p) => p.items) ?? [];

  const send = ({ decision, label }: Asked) =>
    decide.mutate(decision, {
      onSuccess: (answer) => {
        setAsked(null);
        const count = (d: string) => answer.decided.filter((x) => x.decision === d).length;
        onStatus({
          text: `${label}: ${count('approve')} approved, ${count('decline')} declined, ${count('postpone')} postponed.`,
          tone: 'done',
        });
      },
      onError: (error) => {
        const conflict = conflictStatus(error);
        if (conflict) {
          setAsked(null);
          onStatus(conflict);
        }
      },
    });
  // Ignoring declines every value and confirming a deletion removes an account: both are asked twice.
  const onDecide = (decision: ResourceDecision, label: string) => {
    decide.reset();
    const resource = resources.find((r) => r.assignedResourceTypeId === decision.assignedResourceTypeId);
    if (decision.outcome === 'ignore' || resource?.kind === 'deletion') setAsked({ decision, label });
    else send({ decision, label });
  };

  return (
    <QueryState query={list}>
      {() =>
        resources.length === 0 ? (
          <Text c="dimmed">Nothing waits for review: no resource of a {entityType} awaits approval.</Text>
        ) : (
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {resources.length}
              {list.hasNextPage ? '+' : ''} resource{resources.length === 1 ? '' : 's'} awaiting approval. Each value is
              approved unless you choose otherwise; postponed values stay here.
            </Text>
            {resources.map((r) => (
              <ResourceCard
                key={r.assignedResourceTypeId}
                entityType={entityType}
                resource={r}
                busy={decide.isPending && decide.variables?.assignedResourceTypeId === r.assignedResourceTypeId}
                error={
                  !asked && decide.variables?.assignedResourceTypeId === r.assignedResourceTypeId ? decide.error : null
                }
                onDecide={onDecide}
              />
            ))}
            {list.hasNextPage && (
              <Center>
                <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
                  Load more resources
                </Button>
              </Center>
            )}
            {asked && (
              <ConfirmDialog
                title={`${asked.label}?`}
                confirmLabel={asked.label.split(' of ')[0] ?? 'Confirm'}
                color="red"
                busy={decide.isPending}
                error={decide.error}
                onConfirm={() => send(asked)}
                onClose={() => setAsked(null)}
              >
                {asked.decision.outcome === 'ignore'
                  ? `All ${asked.decision.properties.length} pending values are declined; they are not proposed again until the rules change them.`
                  : 'The resource is deleted from the managed system at the next fulfilment.'}
              </ConfirmDialog>
            )}
          </Stack>
        )
      }
    </QueryState>
  );
}
