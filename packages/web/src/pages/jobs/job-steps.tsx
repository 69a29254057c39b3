import { Badge, Code, Table } from '@mantine/core';
import { type JobKind, type JobTask, planJob } from '@ordo/core/src/jobs/job-plan.ts';
import type { Job } from './api.ts';

/** Each step of the job's plan: done (with what it did), blocked, running, or still to come. */
export function JobSteps({ job }: { job: Job }) {
  const done = job.result?.steps ?? [];
  // The same plan the server runs (pure core), so steps still to come are named too.
  const plan = planJob({ kind: job.kind as JobKind, task: job.task as JobTask | null, connector: job.connector });
  const total = Math.max(job.progress?.steps ?? 0, done.length);
  if (total === 0) return null;
  const rows = Array.from({ length: total }, (_, i) => {
    const step = done[i];
    const current = job.progress && job.progress.stepIndex === i + 1 ? job.progress : null;
    const blocked = job.status === 'blocked' && job.result?.blockedStep === i;
    const state = blocked
      ? 'blocked'
      : step
        ? 'done'
        : current && job.status === 'running'
          ? 'running'
          : job.status === 'running'
            ? 'to come'
            : 'not run';
    return { index: i + 1, task: step?.task ?? current?.step ?? plan[i]?.task ?? '—', state, outcome: step?.outcome };
  });
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table aria-label="Steps of this job" striped fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">#</Table.Th>
            <Table.Th scope="col">Task</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Outcome</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.index}>
              <Table.Td>{row.index}</Table.Td>
              <Table.Td>{row.task}</Table.Td>
              <Table.Td>
                <Badge
                  variant="light"
                  color={
                    row.state === 'done'
                      ? 'green'
                      : row.state === 'blocked'
                        ? 'orange'
                        : row.state === 'running'
                          ? 'blue'
                          : 'gray'
                  }
                >
                  {row.state}
                </Badge>
              </Table.Td>
              <Table.Td>
                {row.outcome === undefined ? (
                  '—'
                ) : (
                  <Code
                    block
                    style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', maxHeight: 200, overflow: 'auto' }}
                  >
                    {JSON.stringify(row.outcome, null, 1)}
                  </Code>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
