import { Anchor } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, segment } from '../../api/client.ts';
import { identityName, type Values } from '../directory/identity-values.ts';

/**
 * The review queues name identities by id and key only; people recognise names. The name is looked
 * up once per identity (cached for 10 minutes) and the key stays the fallback, so a caller without
 * the View permission still sees a usable line. Shared by the three review screens.
 */
export function useIdentityName(entityType: string, id: string, key: string | null): string {
  const fallback = key ?? id;
  const query = useQuery({
    queryKey: ['identity-name', entityType, id],
    queryFn: () => api.get<{ values: Values }>(`/api/directory/${segment(entityType)}/${segment(id)}`),
    staleTime: 10 * 60_000,
    retry: false,
  });
  return query.data ? identityName(query.data.values, fallback) : fallback;
}

/** "Nina Richard (E00010)" linking to the identity's page. */
export function IdentityLink({
  entityType,
  id,
  identityKey,
}: {
  entityType: string;
  id: string;
  identityKey: string | null;
}) {
  const name = useIdentityName(entityType, id, identityKey);
  const key = identityKey ?? id;
  return (
    <Anchor
      size="sm"
      renderRoot={(props) => (
        <Link {...props} to="/directory/$entityType/$identityId" params={{ entityType, identityId: id }} />
      )}
    >
      {name === key ? key : `${name} (${key})`}
    </Anchor>
  );
}
