import { Alert, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect } from 'react';
import { ApiError } from '../api/client.ts';

/** A screen: its title (also the document title, so tabs and screen readers say where you are). */
export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Ordo`;
  }, [title]);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1} size="h2">
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Stack>
  );
}

/** An API failure said plainly: the code, the server's detail and each refused field. */
export function ProblemAlert({ error, title = 'That did not work' }: { error: unknown; title?: string }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  return (
    <Alert color="red" title={title} role="alert">
      <Text size="sm">
        {api ? `${api.detail} (${api.code})` : error instanceof Error ? error.message : String(error)}
      </Text>
      {api && api.fields.length > 0 && (
        <ul>
          {api.fields.map((f) => (
            <li key={`${f.path}:${f.message}`}>
              <Text size="sm">
                <code>{f.path}</code>: {f.message}
              </Text>
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

/** Loading and failure of a query, so each screen only renders its data. */
export function QueryState({
  query,
  children,
}: {
  query: { isPending: boolean; error: unknown };
  children: () => ReactNode;
}) {
  if (query.error) return <ProblemAlert error={query.error} title="Could not load this" />;
  if (query.isPending)
    return (
      <Center py="xl">
        <Loader aria-label="Loading" />
      </Center>
    );
  return <>{children()}</>;
}

/** Dates from the API are ISO strings; people read them in their own time zone, to the minute. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}
