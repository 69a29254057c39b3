import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ProblemAlert } from '../../ui/page.tsx';
import { type PendingRequest, waitingStep } from './api.ts';
import { useIdentityName } from './identity-name.tsx';

export interface DecisionDialogProps {
  readonly request: PendingRequest;
  readonly decision: 'approve' | 'decline';
  readonly busy: boolean;
  readonly error: unknown;
  readonly onConfirm: (comment: string) => void;
  readonly onClose: () => void;
}

/** Confirms one step decision with an optional comment (kept in the request's history). */
export function DecisionDialog({ request, decision, busy, error, onConfirm, onClose }: DecisionDialogProps) {
  const [comment, setComment] = useState('');
  const name = useIdentityName(request.owner.entityType, request.owner.id, request.owner.key);
  const verb = decision === 'approve' ? 'Approve' : 'Decline';
  const what = `${request.action === 'remove' ? 'removal of' : ''} ${request.item.displayName}`.trim();
  return (
    <Modal opened onClose={onClose} title={`${verb} request of ${name}`} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm(comment);
        }}
      >
        <Stack gap="sm">
          <Text size="sm">
            {verb} step {waitingStep(request)} of {request.steps} for {what}.
            {decision === 'approve' && waitingStep(request) < request.steps
              ? ' Another reviewer decides the next step.'
              : ''}
          </Text>
          <Textarea
            label="Comment (optional)"
            description="Kept with the decision in the request's history"
            value={comment}
            onChange={(event) => setComment(event.currentTarget.value)}
            maxLength={4000}
            autosize
            minRows={2}
            data-autofocus
          />
          <ProblemAlert error={error} title={`Could not ${decision} this request`} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" color={decision === 'approve' ? 'green' : 'red'} loading={busy}>
              {verb} step {waitingStep(request)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
