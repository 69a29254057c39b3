import { Alert, Button, Group, List, Stack, Text } from '@mantine/core';
import { ProblemAlert } from '../../ui/page.tsx';
import type { RequestView } from './api.ts';
import { RequestStatusBadge } from './request-status.tsx';

/** What one submitted line became: a request (with its status) or the server's refusal. */
export interface SubmitResult {
  readonly assignmentId: string;
  readonly displayName: string;
  readonly action: 'add' | 'remove';
  readonly request?: RequestView;
  readonly error?: unknown;
}

/** The outcome of a submission, announced to screen readers (role="status"). */
export function RequestResults({
  results,
  onShowRequests,
}: {
  results: readonly SubmitResult[];
  onShowRequests: () => void;
}) {
  if (results.length === 0) return null;
  const made = results.filter((r) => r.request);
  const refused = results.filter((r) => !r.request);
  return (
    <Stack gap="xs" role="status">
      {made.length > 0 && (
        <Alert color="green" title={`${made.length} request${made.length === 1 ? '' : 's'} made`}>
          <List size="sm" spacing={4}>
            {made.map((r) => (
              <List.Item key={r.assignmentId}>
                <Group gap="xs">
                  <Text size="sm">
                    {r.action === 'add' ? 'Add' : 'Remove'} {r.displayName}:
                  </Text>
                  {r.request && <RequestStatusBadge request={r.request} />}
                </Group>
              </List.Item>
            ))}
          </List>
          <Group mt="xs">
            <Button size="xs" variant="light" onClick={onShowRequests}>
              Follow these requests
            </Button>
          </Group>
        </Alert>
      )}
      {refused.map((r) => (
        <ProblemAlert
          key={r.assignmentId}
          error={r.error}
          title={`Refused: ${r.action === 'add' ? 'add' : 'remove'} ${r.displayName}`}
        />
      ))}
    </Stack>
  );
}
