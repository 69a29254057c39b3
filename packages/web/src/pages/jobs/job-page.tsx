import { Alert, Anchor, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, segment } from '../../api/client.ts';
import { usePathParams } from '../../app/route-values.ts';
import { formatTime, Page, QueryState } from '../../ui/page.tsx';
import { formatDuration, type Job, jobsKey } from './api.ts';
import { JobLogs } from './job-logs.tsx';
import { JobProgressBar, JobStatusBadge } from './job-status.tsx';
import { JobSteps } from './job-steps.tsx';
import { jobName } from './jobs-table.tsx';
import { ResumeJob } from './resume-job.tsx';

/** One job: live progress while it runs, its steps and outcome, its log, and Resume when blocked. */
export function JobPage() {
  const { jobId } = usePathParams('jobId');
  const job = useQuery({
    queryKey: [...jobsKey, 'one', jobId],
    queryFn: () => api.get<Job>(`/api/jobs/${segment(jobId)}`),
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 1_000 : false),
  });
  const data = job.data;
  return (
    <Page title={data ? `Job: ${jobName(data)}` : 'Job'} actions={data && <JobStatusBadge status={data.status} />}>
      <Anchor size="sm" renderRoot={(p) => <Link {...p} to="/jobs" />}>
        ← All jobs
      </Anchor>
      <QueryState query={job}>
        {() =>
          data && (
            <Stack gap="lg">
              <Text size="sm" role="status">
                The job is {data.status}
                {data.progress ? ` (step ${data.progress.stepIndex} of ${data.progress.steps})` : ''}.
              </Text>
              {data.status === 'blocked' && <ResumeJob job={data} />}
              {data.status === 'failed' && (
                <Alert color="red" title="The job failed">
                  {data.error ?? 'No reason was recorded.'}
                </Alert>
              )}
              {data.status === 'interrupted' && (
                <Alert color="gray" title="The job was interrupted">
                  The node running it stopped before it finished; launch it again.
                </Alert>
              )}
              <Card withBorder>
                <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
                  <Fact term="Started">{formatTime(data.startedAt)}</Fact>
                  <Fact term="Finished">{formatTime(data.finishedAt)}</Fact>
                  <Fact term="Duration">{formatDuration(data)}</Fact>
                  <Fact term="Requested by">{data.scheduleId ? `schedule ${data.scheduleId}` : data.requestedBy}</Fact>
                </SimpleGrid>
                <Stack mt="sm" gap={4}>
                  <JobProgressBar job={data} />
                </Stack>
              </Card>
              <Stack gap="xs" component="section">
                <Title order={2} size="h4">
                  Steps
                </Title>
                <JobSteps job={data} />
              </Stack>
              <Stack gap="xs" component="section">
                <Title order={2} size="h4">
                  Log
                </Title>
                <JobLogs jobId={data.id} live={data.status === 'running'} />
              </Stack>
            </Stack>
          )
        }
      </QueryState>
    </Page>
  );
}

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {term}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}
