import { Box, Button, Code, Group, Text } from '@mantine/core';
import { formatTime, ProblemAlert } from '../../ui/page.tsx';
import { useJobLogs } from './use-job-logs.ts';

const levelColors: Readonly<Record<string, string>> = { error: 'red.8', warn: 'orange.8', warning: 'orange.8' };

/** The job's log lines, oldest first, growing while the job runs. */
export function JobLogs({ jobId, live }: { jobId: string; live: boolean }) {
  const logs = useJobLogs(jobId, live);
  return (
    <Box>
      <ProblemAlert error={logs.error} title="Could not read the log" />
      {logs.lines.length === 0 && !logs.loading ? (
        <Text c="dimmed" size="sm">
          {live ? 'No log line yet.' : 'This job wrote no log line.'}
        </Text>
      ) : (
        <Box
          component="ol"
          aria-label="Log lines"
          tabIndex={0}
          style={{ listStyle: 'none', padding: 8, margin: 0, maxHeight: 360, overflow: 'auto' }}
          bg="var(--mantine-color-gray-0)"
          bd="1px solid var(--mantine-color-gray-3)"
        >
          {logs.lines.map((line) => (
            <li key={line.id}>
              <Text size="xs" ff="monospace" c={levelColors[line.level]} style={{ wordBreak: 'break-word' }}>
                <Code bg="transparent">{formatTime(line.at)}</Code> [{line.level}] {line.message}
              </Text>
            </li>
          ))}
        </Box>
      )}
      {logs.more && (
        <Group mt="xs">
          <Button size="xs" variant="default" loading={logs.loading} onClick={() => void logs.loadMore()}>
            Load more log lines
          </Button>
        </Group>
      )}
    </Box>
  );
}
