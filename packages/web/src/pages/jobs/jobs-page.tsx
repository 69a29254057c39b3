import { Button, Card, Center, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useHolds } from '../../session/use-holds.ts';
import { Page, ProblemAlert, QueryState } from '../../ui/page.tsx';
import { type JobPage, jobPermissions, jobsKey } from './api.ts';
import { JobsTable } from './jobs-table.tsx';
import { LaunchJobForm } from './launch-job-form.tsx';

/** Job Execution: launch a job, and every job with its status and progress. */
export function JobsPage() {
  const mayLaunch = useHolds(jobPermissions.launch);
  const jobs = useInfiniteQuery({
    queryKey: [...jobsKey, 'list'],
    queryFn: ({ pageParam }) => api.get<JobPage>('/api/jobs', { cursor: pageParam, limit: 25 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Running jobs move: follow them; otherwise an occasional look is enough.
    refetchInterval: (q) =>
      q.state.data?.pages.some((p) => p.items.some((j) => j.status === 'running')) ? 2_000 : 15_000,
  });
  const items = jobs.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Page title="Job Execution">
      {mayLaunch && (
        <Card withBorder component="section" aria-labelledby="launch-title">
          <Stack gap="xs">
            <Title order={2} size="h4" id="launch-title">
              Launch a job
            </Title>
            <LaunchJobForm />
          </Stack>
        </Card>
      )}
      <QueryState query={jobs}>
        {() =>
          items.length === 0 ? (
            <Text c="dimmed">No job has run yet.</Text>
          ) : (
            <>
              <JobsTable jobs={items} now={jobs.dataUpdatedAt || Date.now()} />
              {jobs.isFetchNextPageError && <ProblemAlert error={jobs.error} title="Could not load more" />}
              {jobs.hasNextPage && (
                <Center>
                  <Button variant="default" loading={jobs.isFetchingNextPage} onClick={() => void jobs.fetchNextPage()}>
                    Load older jobs
                  </Button>
                </Center>
              )}
            </>
          )
        }
      </QueryState>
    </Page>
  );
}
