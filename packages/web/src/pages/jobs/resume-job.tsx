import { Alert, Button, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, segment } from '../../api/client.ts';
import { homeKey } from '../../api/home.ts';
import { useHolds } from '../../session/use-holds.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { type Job, jobPermissions, jobsKey } from './api.ts';

/**
 * A threshold stopped the job because it would change more than allowed at once. Resuming runs
 * the blocked step again past its thresholds, so it is asked for, and the reason is shown first.
 */
export function ResumeJob({ job }: { job: Job }) {
  const mayResume = useHolds(jobPermissions.resume);
  const [asking, setAsking] = useState(false);
  const queries = useQueryClient();
  const resume = useMutation({
    mutationFn: () => api.post<Job>(`/api/jobs/${segment(job.id)}/resume`),
    onSuccess: async () => {
      setAsking(false);
      await Promise.all([
        queries.invalidateQueries({ queryKey: jobsKey }),
        queries.invalidateQueries({ queryKey: homeKey }),
      ]);
    },
  });
  const step = (job.result?.blockedStep ?? 0) + 1;
  return (
    <Alert color="orange" title={`Blocked by a threshold at step ${step}`}>
      <Text size="sm">{job.error ?? 'The step would change more than its thresholds allow.'}</Text>
      {mayResume ? (
        <Button mt="sm" color="orange" onClick={() => setAsking(true)}>
          Resume job
        </Button>
      ) : (
        <Text size="xs" mt="xs">
          Resuming needs the {jobPermissions.resume} permission.
        </Text>
      )}
      <ConfirmDialog
        opened={asking}
        title="Resume this job past its threshold?"
        confirmLabel="Resume and apply"
        color="orange"
        busy={resume.isPending}
        error={resume.error}
        onConfirm={() => resume.mutate()}
        onClose={() => {
          setAsking(false);
          resume.reset();
        }}
      >
        Step {step} runs again and its changes are applied even though they exceed the threshold. Check the step's
        outcome and the log first.
      </ConfirmDialog>
    </Alert>
  );
}
