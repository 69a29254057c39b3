import { Alert, Button, Center, Group, Paper, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, segment } from '../../api/client.ts';
import { useDuties } from '../../api/home.ts';
import { usePathParams } from '../../app/route-values.ts';
import { useHolds } from '../../session/use-holds.ts';
import { Page, ProblemAlert, QueryState } from '../../ui/page.tsx';
import { useSelection } from '../../ui/use-selection.ts';
import {
  type Area,
  type Decision,
  describeItem,
  maxBulk,
  type ReconciliationItem,
  type ReconciliationItemsPage,
  reconciliationKey,
  reconciliationPermissions,
} from './api.ts';
import { DecisionDialog } from './decision-dialog.tsx';
import { ReconciliationTable } from './reconciliation-table.tsx';
import { useDecide } from './use-decide.ts';

interface Pending {
  readonly ids: readonly string[];
  readonly decision: Decision;
  readonly subject: string;
}

/** Resource or role reconciliation: what the systems hold that the rules do not explain, kept or removed. */
export function ReconciliationPage() {
  const params = usePathParams('area', 'entityType');
  const area: Area = params.area === 'roles' ? 'roles' : 'resources';
  const entityType = params.entityType;
  const permissions = reconciliationPermissions(area, entityType);
  const mayBulk = useHolds(permissions.bulk);
  const { selected, select, replace } = useSelection();
  const [pending, setPending] = useState<Pending | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const decide = useDecide(area, entityType);
  const list = useInfiniteQuery({
    queryKey: reconciliationKey(area, entityType),
    queryFn: ({ pageParam }) =>
      api.get<ReconciliationItemsPage>(`/api/reconciliation/${area}/${segment(entityType)}`, {
        after: pageParam,
        limit: 100,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const shownSelected = items.filter((i) => selected.has(i.id)).map((i) => i.id);
  const ask = (item: ReconciliationItem, decision: Decision) => {
    decide.reset();
    setPending({ ids: [item.id], decision, subject: describeItem(item) });
  };
  const askBulk = (decision: Decision) => {
    decide.reset();
    setPending({ ids: shownSelected, decision, subject: `the ${shownSelected.length} selected items` });
  };
  const confirm = (comment: string) => {
    if (!pending) return;
    const { ids, decision } = pending;
    decide.mutate(
      { ids, decision, comment },
      {
        onSuccess: ({ results }) => {
          const orders = results.filter((r) => r.orderId).length;
          setDone(
            `${results.length} item${results.length === 1 ? '' : 's'} ${decision === 'keep' ? 'kept' : 'to remove'}` +
              (orders ? `; ${orders} removal order${orders === 1 ? '' : 's'} created.` : '.'),
          );
          select(ids, false);
          setPending(null);
        },
      },
    );
  };
  // The navigation already knows the entity type's display name ("LDAP account").
  const screen = area === 'roles' ? 'role-reconciliation' : 'resource-reconciliation';
  const typeName =
    useDuties().data?.find((d) => d.screen === screen && d.entityType === entityType)?.entityTypeName ?? entityType;
  const title = `${area === 'roles' ? 'Role' : 'Resource'} Reconciliation · ${typeName}`;
  return (
    <Page title={title}>
      {done && (
        <Alert
          color="green"
          role="status"
          withCloseButton
          closeButtonLabel="Hide message"
          onClose={() => setDone(null)}
        >
          {done}
        </Alert>
      )}
      {mayBulk && shownSelected.length > 0 && (
        <Paper withBorder p="xs" role="region" aria-label="Bulk decision">
          <Group justify="space-between">
            <Text size="sm">
              {shownSelected.length} selected
              {shownSelected.length > maxBulk ? ` (at most ${maxBulk} at once: unselect some)` : ''}
            </Text>
            <Group gap="xs">
              <Button
                size="xs"
                variant="default"
                onClick={() => askBulk('keep')}
                disabled={shownSelected.length > maxBulk}
              >
                Keep {shownSelected.length} selected
              </Button>
              <Button size="xs" color="red" onClick={() => askBulk('remove')} disabled={shownSelected.length > maxBulk}>
                Remove {shownSelected.length} selected
              </Button>
              <Button size="xs" variant="subtle" onClick={() => replace([])}>
                Clear selection
              </Button>
            </Group>
          </Group>
        </Paper>
      )}
      <QueryState query={list}>
        {() =>
          items.length === 0 ? (
            <Text c="dimmed">Nothing waits for reconciliation: every {entityType} item is explained by the rules.</Text>
          ) : (
            <>
              <Text size="sm">
                {items.length} item{items.length === 1 ? '' : 's'} shown{list.hasNextPage ? ', more to load' : ''}.
                {!mayBulk && ' Deciding several at once needs the Bulk permission.'}
              </Text>
              <ReconciliationTable
                items={items}
                area={area}
                selectable={mayBulk}
                selected={selected}
                onSelect={select}
                onDecide={ask}
              />
              {list.isFetchNextPageError && <ProblemAlert error={list.error} title="Could not load more" />}
              {list.hasNextPage && (
                <Center>
                  <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                    Load more items
                  </Button>
                </Center>
              )}
            </>
          )
        }
      </QueryState>
      <DecisionDialog
        key={pending ? `${pending.decision}:${pending.ids.join(',')}` : 'closed'}
        decision={pending?.decision ?? null}
        subject={pending?.subject ?? ''}
        count={pending?.ids.length ?? 0}
        pending={decide.isPending}
        error={decide.error}
        onConfirm={confirm}
        onClose={() => setPending(null)}
      />
    </Page>
  );
}
