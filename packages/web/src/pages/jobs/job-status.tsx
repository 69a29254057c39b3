import { Badge, Progress, Stack, Text } from '@mantine/core';
import { type Job, statusColors } from './api.ts';

export function JobStatusBadge({ status }: { status: Job['status'] }) {
  return (
    <Badge color={statusColors[status]} variant="light" aria-label={`Status ${status}`}>
      {status}
    </Badge>
  );
}

/** Step n of m and the items of the current step; the bar's label says the same for screen readers. */
export function JobProgressBar({ job }: { job: Job }) {
  const p = job.progress;
  if (!p)
    return (
      <Text size="xs" c="dimmed">
        {job.status === 'running' ? 'starting…' : '—'}
      </Text>
    );
  const stepShare = p.total > 0 ? p.done / p.total : job.status === 'completed' ? 1 : 0;
  const finished = job.status === 'completed';
  const value = finished ? 100 : Math.round(((p.stepIndex - 1 + stepShare) / Math.max(1, p.steps)) * 100);
  const text = `Step ${p.stepIndex} of ${p.steps} (${p.step})${p.total > 0 ? `: ${p.done} of ${p.total}` : ''}`;
  return (
    <Stack gap={2} miw={160}>
      <Progress
        value={value}
        color={statusColors[job.status]}
        aria-label={`Progress of job ${job.id.slice(0, 8)}: ${value}%, ${text}`}
        animated={job.status === 'running'}
      />
      <Text size="xs">{text}</Text>
    </Stack>
  );
}
