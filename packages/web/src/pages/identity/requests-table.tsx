import { Button, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { homeKey } from '../../api/home.ts';
import { useSession } from '../../session/session.tsx';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { formatDate, formatTime, ProblemAlert } from '../../ui/page.tsx';
import { cancelRequest, identityKey, type RequestView } from './api.ts';
import { RequestStatusBadge } from './request-status.tsx';

/** Requests with where their approval stands; the requester may cancel a pending one. */
export function RequestsTable({
  entityType,
  identityId,
  name,
  requests,
}: {
  entityType: string;
  identityId: string;
  name: string;
  requests: readonly RequestView[];
}) {
  const session = useSession();
  const queries = useQueryClient();
  const [asking, setAsking] = useState<RequestView | null>(null);
  // The server's actor for a person signed in with a session (resolve-principal.ts).
  const me = `account:${session.login}`;
  const cancel = useMutation({
    mutationFn: (request: RequestView) => cancelRequest(request.id),
    onSuccess: (cancelled) => {
      queries.setQueryData(['request', cancelled.id], cancelled);
      void queries.invalidateQueries({ queryKey: identityKey(entityType, identityId) });
      void queries.invalidateQueries({ queryKey: homeKey });
    },
  });
  return (
    <Stack gap="sm">
      <ProblemAlert error={cancel.error} title="The request was not cancelled" />
      <Table.ScrollContainer minWidth={820}>
        <Table fz="sm" verticalSpacing={4} aria-label={`Requests for ${name}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Item</Table.Th>
              <Table.Th scope="col">Requested</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Steps decided</Table.Th>
              <Table.Th scope="col">Period</Table.Th>
              <Table.Th scope="col">Comment</Table.Th>
              <Table.Th scope="col">Action</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {requests.map((r) => (
              <Table.Tr key={r.id} data-request={r.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {r.action === 'add' ? 'Add' : 'Remove'} {r.item.displayName}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatTime(r.requestedAt)}</Text>
                  <Text size="xs" c="dimmed">
                    by {r.requestedBy}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <RequestStatusBadge request={r} />
                </Table.Td>
                <Table.Td>
                  {r.approvals} of {r.steps}
                  {r.decisions.map((d) => (
                    <Text key={`${d.step}:${d.decidedAt}`} size="xs" c="dimmed">
                      step {d.step} {d.decision.replace('_', ' ')} by {d.decidedBy}
                    </Text>
                  ))}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {formatDate(r.startDate)} – {formatDate(r.endDate)}
                </Table.Td>
                <Table.Td maw={220} style={{ wordBreak: 'break-word' }}>
                  {r.comment ?? '—'}
                </Table.Td>
                <Table.Td>
                  {r.status === 'pending' && r.requestedBy === me ? (
                    <Button
                      size="compact-xs"
                      color="red"
                      variant="light"
                      onClick={() => setAsking(r)}
                      loading={cancel.isPending && cancel.variables?.id === r.id}
                      aria-label={`Cancel request for ${r.item.displayName}`}
                    >
                      Cancel
                    </Button>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmDialog
        opened={asking !== null}
        title="Cancel 1 request?"
        confirmLabel="Cancel the request"
        color="red"
        dismissLabel="Go back"
        onClose={() => setAsking(null)}
        onConfirm={() => {
          if (asking) cancel.mutate(asking);
          setAsking(null);
        }}
      >
        <Text size="sm">
          {asking?.action === 'add' ? 'Adding' : 'Removing'} {asking?.item.displayName} for {name} will not be reviewed
          any more.
        </Text>
      </ConfirmDialog>
    </Stack>
  );
}
