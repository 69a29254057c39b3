import { Alert } from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../../api/client.ts';

export interface Status {
  readonly text: string;
  readonly tone: 'done' | 'conflict';
}

/**
 * The outcome of the last action, in a live region so screen readers announce it. The region is
 * always in the page (only its content changes): a region added together with its text is often
 * not read out.
 */
export function StatusMessage({ status, onClose }: { status: Status | null; onClose: () => void }) {
  return (
    <div role="status" aria-live="polite">
      {status && (
        <Alert
          color={status.tone === 'done' ? 'green' : 'yellow'}
          withCloseButton
          onClose={onClose}
          closeButtonLabel="Dismiss message"
        >
          {status.text}
        </Alert>
      )}
    </div>
  );
}

export function useStatus() {
  return useState<Status | null>(null);
}

/** 409: someone acted first. Nothing was written; the reloaded list shows what is left. */
export function conflictStatus(error: unknown): Status | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  return {
    text: `Someone decided this meanwhile (${error.detail}). Nothing was changed; the list was reloaded.`,
    tone: 'conflict',
  };
}
