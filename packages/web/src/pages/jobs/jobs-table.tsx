import { Anchor, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { formatTime } from '../../ui/page.tsx';
import { formatDuration, type Job } from './api.ts';
import { JobProgressBar, JobStatusBadge } from './job-status.tsx';

/** A job in a few words: "task fulfil · Facilities", "complete · all connectors". */
export function jobName(job: Pick<Job, 'kind' | 'task' | 'connector'>): string {
  return `${job.kind}${job.task ? ` ${job.task}` : ''} · ${job.connector ?? 'all connectors'}`;
}

/** Jobs, newest first; the start time opens the job. */
export function JobsTable({ jobs, now }: { jobs: readonly Job[]; now: number }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table aria-label="Jobs, newest first" striped highlightOnHover verticalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Started</Table.Th>
            <Table.Th scope="col">Job</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Duration</Table.Th>
            <Table.Th scope="col">Progress</Table.Th>
            <Table.Th scope="col">Requested by</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {jobs.map((job) => (
            <Table.Tr key={job.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Anchor
                  size="sm"
                  aria-label={`Open job ${jobName(job)} started ${formatTime(job.startedAt ?? job.createdAt)}`}
                  renderRoot={(p) => <Link {...p} to="/jobs/$jobId" params={{ jobId: job.id }} />}
                >
                  {formatTime(job.startedAt ?? job.createdAt)}
                </Anchor>
              </Table.Td>
              <Table.Td>{jobName(job)}</Table.Td>
              <Table.Td>
                <JobStatusBadge status={job.status} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDuration(job, now)}</Table.Td>
              <Table.Td>
                <JobProgressBar job={job} />
              </Table.Td>
              <Table.Td>
                <Text size="xs">{job.scheduleId ? `schedule ${job.scheduleId}` : job.requestedBy}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
