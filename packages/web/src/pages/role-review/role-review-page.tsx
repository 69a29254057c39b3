import { Alert, Button, Center, Text } from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { usePathParams } from '../../app/route-values.ts';
import { useSession } from '../../session/session.tsx';
import { Page, QueryState } from '../../ui/page.tsx';
import { type PendingRequest, useDecide, useRoleReview, waitingStep } from './api.ts';
import { DecisionDialog } from './decision-dialog.tsx';
import { RequestTable } from './request-table.tsx';

interface Pending {
  readonly request: PendingRequest;
  readonly decision: 'approve' | 'decline';
}

/** Role Review (reference spec §10): manual requests waiting for their n-of-m approval steps. */
export function RoleReviewPage() {
  const { entityType } = usePathParams('entityType');
  const session = useSession();
  const list = useRoleReview(entityType);
  const decide = useDecide(entityType);
  const [pending, setPending] = useState<Pending | null>(null);
  const [status, setStatus] = useState<{ text: string; conflict: boolean } | null>(null);
  const requests = list.data?.pages.flatMap((p) => p.items) ?? [];

  const open = (request: PendingRequest, decision: Pending['decision']) => {
    decide.reset();
    setPending({ request, decision });
  };
  const confirm = (comment: string) => {
    if (!pending) return;
    const { request, decision } = pending;
    const step = waitingStep(request);
    decide.mutate(
      { request, decision, comment },
      {
        onSuccess: () => {
          setPending(null);
          const verb = decision === 'approve' ? 'Approved' : 'Declined';
          setStatus({
            text: `${verb} step ${step} of ${request.steps} of the request of ${request.owner.key} for ${request.item.displayName}.`,
            conflict: false,
          });
        },
        onError: (error) => {
          // Someone else decided this step first: nothing was written; the reloaded list shows what is left.
          if (error instanceof ApiError && error.status === 409) {
            setPending(null);
            setStatus({
              text: `Someone decided this request meanwhile (${error.detail}). The list was reloaded.`,
              conflict: true,
            });
          }
        },
      },
    );
  };

  return (
    <Page title={`Role Review · ${entityType}`}>
      <div role="status" aria-live="polite">
        {status && (
          <Alert
            color={status.conflict ? 'yellow' : 'green'}
            withCloseButton
            onClose={() => setStatus(null)}
            closeButtonLabel="Dismiss message"
          >
            {status.text}
          </Alert>
        )}
      </div>
      <QueryState query={list}>
        {() =>
          requests.length === 0 ? (
            <Text c="dimmed">Nothing waits for review: no request of a {entityType} in your scope is pending.</Text>
          ) : (
            <>
              <Text size="sm" c="dimmed">
                {requests.length}
                {list.hasNextPage ? '+' : ''} pending request{requests.length === 1 ? '' : 's'}, oldest first. You
                cannot decide a request you made or a step after one you decided (four eyes).
              </Text>
              <RequestTable requests={requests} login={session.login} onDecide={open} />
              {list.hasNextPage && (
                <Center>
                  <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
                    Load more requests
                  </Button>
                </Center>
              )}
            </>
          )
        }
      </QueryState>
      {pending && (
        <DecisionDialog
          request={pending.request}
          decision={pending.decision}
          busy={decide.isPending}
          error={decide.error}
          onConfirm={confirm}
          onClose={() => setPending(null)}
        />
      )}
    </Page>
  );
}
