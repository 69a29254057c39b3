import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ProblemAlert } from './page.tsx';

export interface ConfirmDialogProps {
  readonly opened?: boolean;
  readonly title: string;
  /** What will happen, with the number of items it touches. */
  readonly children: ReactNode;
  /** The confirm button's text: says the action and the count ("Unblock 3 orders"). */
  readonly confirmLabel: string;
  /** The way out; "Cancel" unless the action itself is a cancellation ("Go back"). */
  readonly dismissLabel?: string;
  readonly color?: string;
  readonly busy?: boolean;
  readonly error?: unknown;
  readonly onConfirm: () => void;
  readonly onClose: () => void;
}

/**
 * Destructive and bulk actions go through this dialog so nobody touches many items by one stray
 * click. Mantine's Modal traps focus; the way out is focused first so Enter does not confirm by
 * habit. The dialog stays open on failure and shows the server's answer, so nothing looks done
 * that was not.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { opened = true, busy = false, error = null, color = 'indigo', dismissLabel = 'Cancel' } = props;
  return (
    <Modal opened={opened} onClose={props.onClose} title={props.title} centered>
      <Stack gap="md">
        <Text size="sm" component="div">
          {props.children}
        </Text>
        <ProblemAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose} disabled={busy} data-autofocus>
            {dismissLabel}
          </Button>
          <Button color={color} loading={busy} onClick={props.onConfirm}>
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
