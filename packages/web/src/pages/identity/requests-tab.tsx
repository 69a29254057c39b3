import { Stack, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { api, segment } from '../../api/client.ts';
import { ProblemAlert } from '../../ui/page.tsx';
import { type RequestView, usePermissions, useRequestable } from './api.ts';
import { RequestsTable } from './requests-table.tsx';

/**
 * The identity's requests: those still waiting (the API names them on the assignments) and those
 * made from this page in this browser session, newest first. There is no list route per identity.
 */
export function RequestsTab({
  entityType,
  identityId,
  name,
  recent,
}: {
  entityType: string;
  identityId: string;
  name: string;
  recent: readonly string[];
}) {
  const permissions = usePermissions(entityType, identityId);
  const requestable = useRequestable(entityType, identityId);
  const pending = [
    ...(permissions.data ?? []).map((a) => a.pendingRequestId),
    ...(requestable.data ?? []).map((r) => r.pendingRequestId),
  ].filter((id): id is string => id !== null);
  const ids = [...new Set([...recent, ...pending])];
  const requests = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['request', id],
      queryFn: () => api.get<RequestView>(`/api/requests/${segment(id)}`),
    })),
  });
  const loaded = requests
    .map((q) => q.data)
    .filter((r): r is RequestView => r !== undefined)
    .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  const failed = requests.find((q) => q.error)?.error;
  const loading = permissions.isPending || requestable.isPending || requests.some((q) => q.isPending);
  return (
    <Stack gap="sm">
      {failed !== undefined && <ProblemAlert error={failed} title="Some requests could not be loaded" />}
      {loaded.length === 0 ? (
        <Text>{loading ? 'Loading requests…' : `No request waits for ${name}, and none was made from this page.`}</Text>
      ) : (
        <RequestsTable entityType={entityType} identityId={identityId} name={name} requests={loaded} />
      )}
    </Stack>
  );
}
