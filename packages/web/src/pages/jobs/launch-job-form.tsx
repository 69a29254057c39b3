import { Alert, Anchor, Button, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import { homeKey } from '../../api/home.ts';
import { useHolds } from '../../session/use-holds.ts';
import { ProblemAlert } from '../../ui/page.tsx';
import { type Job, jobKinds, jobsKey, jobTasks } from './api.ts';

const kindHelp: Readonly<Record<(typeof jobKinds)[number], string>> = {
  complete: 'Every task in order, exports read everything: the backstop for deletions.',
  incremental: 'Every task in order, exports read only what changed.',
  task: 'One task only.',
};

/** The running job that refused the launch: the server names it as a field of the 409 problem. */
function runningJobOf(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'JOB_ALREADY_RUNNING') return null;
  return error.fields.find((f) => f.path === 'runningJobId')?.message ?? null;
}

/** Launch a job: kind, the task for a one-task job, one connector or all. Opens the new job on success. */
export function LaunchJobForm() {
  const [kind, setKind] = useState<(typeof jobKinds)[number]>('incremental');
  const [task, setTask] = useState<string | null>(null);
  const [connector, setConnector] = useState<string | null>(null);
  const queries = useQueryClient();
  const navigate = useNavigate();
  const connectors = useQuery({
    queryKey: ['connectors'],
    queryFn: () => api.get<{ id: string; displayName: string }[]>('/api/connectors'),
    enabled: useHolds('/Connectors/Connector/Query'),
  });
  const launch = useMutation({
    mutationFn: () =>
      api.post<Job>('/api/jobs', { kind, task: kind === 'task' ? task : null, connector: connector || null }),
    onSuccess: async (job) => {
      await Promise.all([
        queries.invalidateQueries({ queryKey: jobsKey }),
        queries.invalidateQueries({ queryKey: homeKey }),
      ]);
      void navigate({ to: '/jobs/$jobId', params: { jobId: job.id } });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    launch.mutate();
  };
  const running = runningJobOf(launch.error);
  return (
    <form onSubmit={submit} aria-label="Launch a job">
      <Stack gap="xs">
        <Group align="flex-end" gap="sm">
          <div>
            <Text size="sm" fw={500} id="job-kind-label" mb={4}>
              Kind
            </Text>
            <SegmentedControl
              aria-labelledby="job-kind-label"
              data={jobKinds.map((k) => ({ value: k, label: k }))}
              value={kind}
              onChange={(v) => setKind(v as (typeof jobKinds)[number])}
            />
          </div>
          {kind === 'task' && (
            <Select
              label="Task"
              placeholder="Pick a task"
              data={[...jobTasks]}
              value={task}
              onChange={setTask}
              w={170}
            />
          )}
          <Select
            label="Connector"
            placeholder="All connectors"
            data={(connectors.data ?? []).map((c) => ({ value: c.id, label: `${c.displayName} (${c.id})` }))}
            value={connector}
            onChange={setConnector}
            clearable
            w={260}
          />
          <Button type="submit" loading={launch.isPending}>
            Launch {kind} job
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {kindHelp[kind]}
        </Text>
        {running ? (
          <Alert color="yellow" title="A job is already running" role="alert">
            <Text size="sm">
              {launch.error instanceof ApiError ? launch.error.detail : ''} Jobs never queue: wait for it or{' '}
              <Anchor renderRoot={(p) => <Link {...p} to="/jobs/$jobId" params={{ jobId: running }} />}>
                follow the running job
              </Anchor>
              .
            </Text>
          </Alert>
        ) : (
          <ProblemAlert error={launch.error} title="The job was not launched" />
        )}
      </Stack>
    </form>
  );
}
