import { Alert, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { useHolds } from '../../session/use-holds.ts';
import { Page, QueryState } from '../../ui/page.tsx';
import { type ErrorsInbox, errorsKey, orderPermissions } from './api.ts';
import { ErrorGroupCard } from './error-group-card.tsx';

/** The errors inbox: errored orders grouped by connector and error kind, handled a group at a time. */
export function ErrorsPage() {
  const mayRetry = useHolds(orderPermissions.unblock);
  const mayDismiss = useHolds(orderPermissions.dismiss);
  const [done, setDone] = useState<string | null>(null);
  const inbox = useQuery({
    queryKey: errorsKey,
    queryFn: () => api.get<ErrorsInbox>('/api/orders/errors', { examples: 5 }),
    refetchInterval: 30_000,
  });
  return (
    <Page title="Errors">
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
      <QueryState query={inbox}>
        {() =>
          inbox.data && (
            <Stack gap="md">
              <Text size="sm" role="status">
                {inbox.data.total === 0
                  ? 'No errored order: nothing waits for a retry or a dismissal.'
                  : `${inbox.data.total} errored order${inbox.data.total === 1 ? '' : 's'} in ${inbox.data.groups.length} group${inbox.data.groups.length === 1 ? '' : 's'}.`}
              </Text>
              {inbox.data.truncated && (
                <Alert color="yellow">
                  There are too many errored orders to count them all: the groups cover the first {inbox.data.total}{' '}
                  only. Handle some to see the rest.
                </Alert>
              )}
              {!mayRetry && !mayDismiss && inbox.data.total > 0 && (
                <Text size="sm" c="dimmed">
                  You may look at errors; retrying or dismissing them needs the Unblock or Dismiss permission.
                </Text>
              )}
              {inbox.data.groups.map((group) => (
                <ErrorGroupCard
                  key={`${group.connector}:${group.kind}`}
                  group={group}
                  mayRetry={mayRetry}
                  mayDismiss={mayDismiss}
                  onDone={setDone}
                />
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Page>
  );
}
