import { Anchor, Badge, Button, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { formatTime } from '../../ui/page.tsx';
import type { ErrorGroup } from './api.ts';
import { describeAnswer, type ErroredAction, useErroredAction } from './errored-actions.ts';

const plural = (n: number) => `${n} errored order${n === 1 ? '' : 's'}`;

/**
 * One group of the inbox: errored orders of one connector failing the same way. The whole group
 * is retried or dismissed at once (the server selects it again, so orders that errored since are
 * included), after a confirmation that says how many orders it touches.
 */
export function ErrorGroupCard(props: {
  group: ErrorGroup;
  mayRetry: boolean;
  mayDismiss: boolean;
  /** The answer in words; the page shows it, since a handled group leaves the list (and this card). */
  onDone: (message: string) => void;
}) {
  const { group } = props;
  const [asking, setAsking] = useState<ErroredAction | null>(null);
  const retry = useErroredAction('retry');
  const dismiss = useErroredAction('dismiss');
  const mutation = asking === 'dismiss' ? dismiss : retry;
  const name = `${group.connector} · ${group.kind}`;
  const close = () => {
    setAsking(null);
    retry.reset();
    dismiss.reset();
  };
  const confirm = async () => {
    if (!asking) return;
    const action = asking;
    try {
      // mutateAsync, not mutate's callbacks: the group leaves the inbox once handled, and this
      // card with it, and per-call callbacks of an unmounted component are never called.
      const answer = await mutation.mutateAsync({ group: { connector: group.connector, kind: group.kind } });
      props.onDone(describeAnswer(action, answer));
      setAsking(null);
    } catch {
      // The dialog shows mutation.error.
    }
  };
  return (
    <Card withBorder component="section" aria-label={`Errors of ${name}`}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Group gap="sm">
            <Title order={2} size="h4">
              {group.connector}
            </Title>
            <Badge color="red" variant="light">
              {group.kind}
            </Badge>
            <Text size="sm" fw={600}>
              {plural(group.count)}
            </Text>
          </Group>
          <Group gap="xs">
            <Anchor
              size="sm"
              renderRoot={(p) => <Link {...p} to="/orders" search={{ state: '3', connector: group.connector }} />}
              aria-label={`See the errored orders of ${group.connector}`}
            >
              See the orders
            </Anchor>
            {props.mayRetry && (
              <Button
                size="xs"
                onClick={() => setAsking('retry')}
                aria-label={`Retry all ${group.count} orders of ${name}`}
              >
                Retry all
              </Button>
            )}
            {props.mayDismiss && (
              <Button
                size="xs"
                color="red"
                variant="light"
                onClick={() => setAsking('dismiss')}
                aria-label={`Dismiss all ${group.count} orders of ${name}`}
              >
                Dismiss all
              </Button>
            )}
          </Group>
        </Group>
        <Text size="xs" c="dimmed">
          Created between {formatTime(group.oldestAt)} and {formatTime(group.newestAt)}
        </Text>
        <List size="sm" spacing={2} aria-label={`Examples of ${name}`}>
          {group.examples.map((e) => (
            <List.Item key={e.orderId}>
              <Anchor
                size="sm"
                renderRoot={(p) => <Link {...p} to="/orders/$orderId" params={{ orderId: e.orderId }} />}
              >
                {e.resourceTypeId} for {e.ownerId}
              </Anchor>
              : {e.message}
            </List.Item>
          ))}
        </List>
      </Stack>
      <ConfirmDialog
        opened={asking !== null}
        title={asking === 'dismiss' ? `Dismiss ${plural(group.count)}?` : `Retry ${plural(group.count)}?`}
        confirmLabel={asking === 'dismiss' ? `Dismiss ${group.count} orders` : `Retry ${group.count} orders`}
        color={asking === 'dismiss' ? 'red' : 'indigo'}
        busy={mutation.isPending}
        error={mutation.error}
        onConfirm={() => void confirm()}
        onClose={close}
      >
        {asking === 'dismiss'
          ? `The ${plural(group.count)} of ${name} will never be sent; their assignments go to 6 Inactive.`
          : `The ${plural(group.count)} of ${name} go back to 1 Pending and their agent sends them again.`}{' '}
        Orders of this group that errored since the page loaded are included.
      </ConfirmDialog>
    </Card>
  );
}
