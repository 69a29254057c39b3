import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ProblemAlert } from '../../ui/page.tsx';

export interface ConfirmDialogProps {
  readonly title: string;
  /** What will happen, with the number of items it touches. */
  readonly children: ReactNode;
  /** The confirm button's text: says the action and the count ("Unblock 3 orders"). */
  readonly confirmLabel: string;
  readonly color?: string;
  readonly busy: boolean;
  readonly error: unknown;
  readonly onConfirm: () => void;
  readonly onClose: () => void;
}

/**
 * Destructive and bulk actions go through this dialog so nobody touches many items by one stray
 * click. Mantine's Modal traps focus; Cancel is focused first so Enter does not confirm by habit.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { title, children, confirmLabel, color = 'blue', busy, error, onConfirm, onClose } = props;
  return (
    <Modal opened onClose={onClose} title={title} centered>
      <Stack gap="sm">
        {typeof children === 'string' ? <Text size="sm">{children}</Text> : children}
        <ProblemAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy} data-autofocus>
            Cancel
          </Button>
          <Button color={color} onClick={onConfirm} loading={busy}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
