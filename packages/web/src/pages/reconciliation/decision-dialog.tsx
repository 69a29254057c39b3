import { Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import type { Decision } from './api.ts';

/**
 * Confirms a keep or remove decision on one or several items. Keeping is an exception to the
 * rules, so the server requires a comment for it; removing takes an optional one. The server's
 * refusal (e.g. a missing comment) is shown in the dialog, which then stays open.
 */
export function DecisionDialog(props: {
  decision: Decision | null;
  /** What is decided on, in words: "orphan LdapAccount uid=…" or "3 items". */
  subject: string;
  count: number;
  pending: boolean;
  error: unknown;
  onConfirm: (comment: string) => void;
  onClose: () => void;
}) {
  const [comment, setComment] = useState('');
  const keep = props.decision === 'keep';
  const items = `${props.count} item${props.count === 1 ? '' : 's'}`;
  return (
    <ConfirmDialog
      opened={props.decision !== null}
      title={keep ? `Keep ${items}?` : `Remove ${items}?`}
      confirmLabel={keep ? `Keep ${items}` : `Remove ${items}`}
      color={keep ? 'indigo' : 'red'}
      busy={props.pending}
      error={props.error}
      onConfirm={() => props.onConfirm(comment)}
      onClose={() => {
        setComment('');
        props.onClose();
      }}
    >
      <Text size="sm" mb="sm">
        {keep
          ? `Keep ${props.subject} as it is in the system, as an exception to the rules.`
          : `Remove ${props.subject}: the next order generation sends the removal to the system.`}
      </Text>
      <Textarea
        label={keep ? 'Why keep it? (required)' : 'Comment (optional)'}
        description={keep ? 'Kept items are exceptions; the comment goes to the audit log.' : undefined}
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
        autosize
        minRows={2}
        maxLength={2000}
        data-autofocus
      />
    </ConfirmDialog>
  );
}
