import { Alert, Button, Group } from '@mantine/core';
import { useState } from 'react';
import { useHolds } from '../../session/use-holds.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { ProblemAlert } from '../../ui/page.tsx';
import { type Order, orderPermissions } from './api.ts';
import { describeAnswer, type ErroredAction, useErroredAction } from './errored-actions.ts';

/**
 * What a person may do with this order. Only an errored order (3) waits for a person here: retry
 * sends it again, dismiss gives it up. Other states move by themselves (agent, synchronization,
 * review screens), so no button is offered for them.
 */
export function OrderActions({ order }: { order: Order }) {
  const mayRetry = useHolds(orderPermissions.unblock);
  const mayDismiss = useHolds(orderPermissions.dismiss);
  const retry = useErroredAction('retry');
  const dismiss = useErroredAction('dismiss');
  const [asking, setAsking] = useState<ErroredAction | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (order.state !== 3)
    return done ? (
      <Alert role="status" color="green">
        {done}
      </Alert>
    ) : null;
  if (!mayRetry && !mayDismiss) return null;
  const who = order.ownerKey ?? order.ownerId;
  const act = (action: ErroredAction) => {
    const mutation = action === 'retry' ? retry : dismiss;
    mutation.mutate(
      { orderIds: [order.id] },
      {
        onSuccess: (answer) => {
          setDone(describeAnswer(action, answer));
          setAsking(null);
        },
      },
    );
  };
  return (
    <>
      <Group gap="sm">
        {mayRetry && (
          <Button onClick={() => act('retry')} loading={retry.isPending}>
            Retry order of {who}
          </Button>
        )}
        {mayDismiss && (
          <Button color="red" variant="light" onClick={() => setAsking('dismiss')}>
            Dismiss order of {who}
          </Button>
        )}
      </Group>
      <ProblemAlert error={retry.error} title="Retry did not work" />
      <ConfirmDialog
        opened={asking === 'dismiss'}
        title="Dismiss this errored order?"
        confirmLabel={`Dismiss 1 order of ${who}`}
        color="red"
        busy={dismiss.isPending}
        error={dismiss.error}
        onConfirm={() => act('dismiss')}
        onClose={() => {
          setAsking(null);
          dismiss.reset();
        }}
      >
        The order ({order.changeType} {order.resourceTypeId} for {who}) is never sent; its assignment goes to 6
        Inactive, and the next computation of {who} may propose the value again.
      </ConfirmDialog>
    </>
  );
}
