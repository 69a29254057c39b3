import { useInfiniteQuery } from '@tanstack/react-query';
import { api, segment } from '../../api/client.ts';
import type { Values } from './identity-values.ts';

/** An identity as GET /api/directory/:entityType lists it. */
export interface IdentitySummary {
  readonly id: string;
  readonly key: string;
  readonly entityType: string;
  readonly values: Values;
}

interface SearchPage {
  readonly items: IdentitySummary[];
  readonly nextCursor: string | null;
}

const pageSize = 50;

/** Directory search, one page of 50 at a time; "Load more" asks for the next cursor. */
export function useIdentitySearch(entityType: string, text: string) {
  return useInfiniteQuery({
    queryKey: ['directory', entityType, text],
    queryFn: ({ pageParam }) =>
      api.get<SearchPage>(`/api/directory/${segment(entityType)}`, {
        q: text,
        cursor: pageParam,
        limit: pageSize,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
