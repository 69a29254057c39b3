import { Stack, Text } from '@mantine/core';
import { QueryState } from '../../ui/page.tsx';
import { useIdentityRequests } from './api.ts';
import { RequestsTable } from './requests-table.tsx';

/** The identity's requests, newest first, whatever their status (approved, declined, cancelled…). */
export function RequestsTab({
  entityType,
  identityId,
  name,
}: {
  entityType: string;
  identityId: string;
  name: string;
}) {
  const requests = useIdentityRequests(entityType, identityId);
  return (
    <Stack gap="sm">
      <QueryState query={requests}>
        {() =>
          (requests.data ?? []).length === 0 ? (
            <Text>No request was ever made for {name}.</Text>
          ) : (
            <RequestsTable entityType={entityType} identityId={identityId} name={name} requests={requests.data ?? []} />
          )
        }
      </QueryState>
    </Stack>
  );
}
