import { Button, Group, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useDuties } from '../../api/home.ts';
import { usePathParams, useSearchValues } from '../../app/route-values.ts';
import { Page, ProblemAlert, QueryState } from '../../ui/page.tsx';
import { useIdentitySearch } from './api.ts';
import { DirectoryTable } from './directory-table.tsx';

/** The display name of an entity type, from the caller's duties (the API has no schema route). */
export function useEntityTypeName(entityType: string): string {
  const duties = useDuties();
  return duties.data?.find((d) => d.entityType === entityType && d.entityTypeName)?.entityTypeName ?? entityType;
}

/** Directory: search the identities of one entity type and open one. */
export function DirectoryPage() {
  const { entityType } = usePathParams('entityType');
  const { q = '' } = useSearchValues<'q'>();
  const navigate = useNavigate();
  const typeName = useEntityTypeName(entityType);
  const [typed, setTyped] = useState(q);
  // Typing does not fire one request per key: the URL (and so the search) follows after a pause.
  const [settled] = useDebouncedValue(typed.trim(), 300);
  useEffect(() => {
    if (settled === q) return;
    void navigate({
      to: '/directory/$entityType',
      params: { entityType },
      search: settled ? { q: settled } : {},
      replace: true,
    });
  }, [settled, q, entityType, navigate]);
  // Back/forward or a link changes ?q=: the box shows what is searched.
  useEffect(() => setTyped((current: string) => (current.trim() === q ? current : q)), [q]);

  const search = useIdentitySearch(entityType, q);
  const items = search.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Page title={`Directory · ${typeName}`}>
      <TextInput
        label="Search"
        description="Key or any value: name, department, job title…"
        placeholder="e.g. Laurent or Engineering"
        type="search"
        value={typed}
        onChange={(event) => setTyped(event.currentTarget.value)}
        maw={480}
      />
      <QueryState query={search}>
        {() => (
          <>
            <Text size="sm" role="status" c="dimmed">
              {items.length === 0
                ? q
                  ? `No ${typeName} matches “${q}”.`
                  : `There are no ${typeName} identities you may see.`
                : `${items.length} ${items.length === 1 ? 'identity' : 'identities'}${search.hasNextPage ? ' shown, more available' : ''}${q ? ` matching “${q}”` : ''}.`}
            </Text>
            {items.length > 0 && <DirectoryTable entityType={entityType} typeName={typeName} items={items} />}
            {search.isFetchNextPageError && <ProblemAlert error={search.error} title="Could not load more" />}
            {search.hasNextPage && (
              <Group>
                <Button
                  variant="default"
                  onClick={() => void search.fetchNextPage()}
                  loading={search.isFetchingNextPage}
                >
                  Load more identities
                </Button>
              </Group>
            )}
          </>
        )}
      </QueryState>
    </Page>
  );
}
