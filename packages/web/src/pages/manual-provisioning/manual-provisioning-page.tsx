import { Button, Center, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { type ProvisioningState, provisioningStateNames } from '@ordo/core/src/states.ts';
import { useState } from 'react';
import { usePathParams } from '../../app/route-values.ts';
import { useHolds } from '../../session/use-holds.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { Page, ProblemAlert, QueryState } from '../../ui/page.tsx';
import { useSelection } from '../../ui/use-selection.ts';
import { conflictStatus, StatusMessage, useStatus } from '../provisioning-review/status-message.tsx';
import { type ManualAction, type PerformedAnswer, useManualOrders, usePerform } from './api.ts';
import { OrderTicket } from './order-ticket.tsx';
import { ReportErrorDialog } from './report-error-dialog.tsx';

type Dialog =
  | { readonly kind: 'report'; readonly ids: readonly string[]; readonly subject: string }
  | { readonly kind: 'confirm'; readonly ids: readonly string[] };

const plural = (n: number) => `${n} order${n === 1 ? '' : 's'}`;

/** "2 now 8 Executed": the server's answer per state, so a person sees what each order became. */
function outcome(answer: PerformedAnswer): string {
  const byState = new Map<number, number>();
  for (const o of answer.orders) byState.set(o.state, (byState.get(o.state) ?? 0) + 1);
  return [...byState]
    .map(([state, n]) => `${n} now ${state} ${provisioningStateNames[state as ProvisioningState] ?? ''}`.trim())
    .join(', ');
}

/** Manual Provisioning (reference spec §7): the tickets of manual connections, confirmed or reported by a person. */
export function ManualProvisioningPage() {
  const { entityType } = usePathParams('entityType');
  const list = useManualOrders(entityType);
  const perform = usePerform(entityType);
  const mayBulk = useHolds(`/Custom/ProvisioningPolicy/BulkPerformManualProvisioning/${entityType}`);
  const { selected, select, replace } = useSelection();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [status, setStatus] = useStatus();
  const orders = list.data?.pages.flatMap((p) => p.items) ?? [];

  const run = (action: Omit<ManualAction, 'bulk'>) =>
    perform.mutate(
      { ...action, bulk: action.orderIds.length > 1 },
      {
        onSuccess: (answer) => {
          setDialog(null);
          select(action.orderIds, false);
          const verb = action.errorMessage === undefined ? 'Confirmed' : 'Reported an error for';
          setStatus({ text: `${verb} ${plural(answer.orders.length)}: ${outcome(answer)}.`, tone: 'done' });
        },
        onError: (error) => {
          const conflict = conflictStatus(error);
          if (conflict) {
            setDialog(null);
            setStatus({ ...conflict, text: `${conflict.text} All or nothing: no order was changed.` });
          }
        },
      },
    );
  const open = (next: Dialog) => {
    perform.reset();
    setDialog(next);
  };
  const chosen = orders.filter((o) => selected.has(o.id)).map((o) => o.id);

  return (
    <Page title={`Manual Provisioning · ${entityType}`}>
      <StatusMessage status={status} onClose={() => setStatus(null)} />
      <QueryState query={list}>
        {() =>
          orders.length === 0 ? (
            <Text c="dimmed">Nothing to carry out: no manual order for a {entityType} waits in 2 Transmitted.</Text>
          ) : (
            <Stack gap="sm">
              <Text size="sm" c="dimmed">
                {orders.length}
                {list.hasNextPage ? '+' : ''} order{orders.length === 1 ? '' : 's'} to carry out by hand, newest first.
                Make the change in the system, then confirm it, or report why it could not be done.
              </Text>
              {mayBulk && (
                <Group gap="xs">
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => replace(chosen.length === orders.length ? [] : orders.map((o) => o.id))}
                  >
                    {chosen.length === orders.length ? 'Clear selection' : `Select all shown (${orders.length})`}
                  </Button>
                  <Button
                    size="xs"
                    color="green"
                    disabled={chosen.length === 0}
                    onClick={() => open({ kind: 'confirm', ids: chosen })}
                  >
                    Confirm selected ({chosen.length})
                  </Button>
                  <Button
                    size="xs"
                    color="red"
                    variant="light"
                    disabled={chosen.length === 0}
                    onClick={() => open({ kind: 'report', ids: chosen, subject: plural(chosen.length) })}
                  >
                    Report error for selected ({chosen.length})
                  </Button>
                </Group>
              )}
              {!dialog && perform.error && !conflictStatus(perform.error) && (
                <ProblemAlert error={perform.error} title="Nothing was changed" />
              )}
              <Table.ScrollContainer minWidth={1050}>
                <Table verticalSpacing="xs" layout="fixed" striped aria-label="Manual orders to carry out">
                  <Table.Thead>
                    <Table.Tr>
                      {mayBulk && (
                        <Table.Th w={40}>
                          <VisuallyHidden>Selected</VisuallyHidden>
                        </Table.Th>
                      )}
                      <Table.Th w="15%">Change</Table.Th>
                      <Table.Th w="14%">Owner</Table.Th>
                      <Table.Th w="12%">Target</Table.Th>
                      <Table.Th w="20%">Values to set</Table.Th>
                      <Table.Th w="11%">Links</Table.Th>
                      <Table.Th w={150}>State</Table.Th>
                      <Table.Th w={140}>Action</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {orders.map((order) => (
                      <OrderTicket
                        key={order.id}
                        entityType={entityType}
                        order={order}
                        selected={mayBulk ? selected.has(order.id) : null}
                        busy={perform.isPending && (perform.variables?.orderIds.includes(order.id) ?? false)}
                        onSelect={(on) => select([order.id], on)}
                        onConfirm={() => run({ orderIds: [order.id] })}
                        onReport={(label) => open({ kind: 'report', ids: [order.id], subject: label })}
                      />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {list.hasNextPage && (
                <Center>
                  <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
                    Load more orders
                  </Button>
                </Center>
              )}
            </Stack>
          )
        }
      </QueryState>
      {dialog?.kind === 'report' && (
        <ReportErrorDialog
          subject={dialog.subject}
          count={dialog.ids.length}
          busy={perform.isPending}
          error={perform.error}
          onReport={(message) => run({ orderIds: dialog.ids, errorMessage: message })}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'confirm' && (
        <ConfirmDialog
          title={`Confirm ${plural(dialog.ids.length)} as done?`}
          confirmLabel={`Confirm ${plural(dialog.ids.length)}`}
          color="green"
          busy={perform.isPending}
          error={perform.error}
          onConfirm={() => run({ orderIds: dialog.ids })}
          onClose={() => setDialog(null)}
        >
          {`Confirm only what you have done in the managed system. All or nothing: if one of the ${plural(dialog.ids.length)} was handled meanwhile, none is confirmed.`}
        </ConfirmDialog>
      )}
    </Page>
  );
}
