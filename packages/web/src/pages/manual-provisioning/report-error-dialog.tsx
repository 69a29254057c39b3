import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ProblemAlert } from '../../ui/page.tsx';

export interface ReportErrorDialogProps {
  /** What the report is about: one order's label, or "3 orders". */
  readonly subject: string;
  readonly count: number;
  readonly busy: boolean;
  readonly error: unknown;
  readonly onReport: (message: string) => void;
  readonly onClose: () => void;
}

/** The message is required: whoever unblocks the order later needs to know what went wrong. */
export function ReportErrorDialog({ subject, count, busy, error, onReport, onClose }: ReportErrorDialogProps) {
  const [message, setMessage] = useState('');
  const [touched, setTouched] = useState(false);
  const missing = message.trim() === '';
  return (
    <Modal opened onClose={onClose} title={`Report an error for ${subject}`} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setTouched(true);
          if (!missing) onReport(message.trim());
        }}
      >
        <Stack gap="sm">
          <Text size="sm">
            {count === 1 ? 'The order goes' : `All ${count} orders go`} to 3 Errored and wait on Provisioning Review to
            be unblocked.{count > 1 ? ' All or nothing: if one cannot be reported, none is.' : ''}
          </Text>
          <Textarea
            label="What went wrong"
            required
            value={message}
            onChange={(event) => setMessage(event.currentTarget.value)}
            onBlur={() => setTouched(true)}
            error={touched && missing ? 'Say what went wrong: the message is required' : undefined}
            maxLength={2000}
            autosize
            minRows={3}
            data-autofocus
          />
          <ProblemAlert error={error} title="The report was refused" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={busy}>
              {count === 1 ? 'Report the error' : `Report the error for ${count} orders`}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
