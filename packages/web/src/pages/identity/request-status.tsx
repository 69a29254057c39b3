import { Badge } from '@mantine/core';
import type { RequestView } from './api.ts';

const colors: Readonly<Record<RequestView['status'], string>> = {
  pending: 'yellow',
  approved: 'green',
  declined: 'red',
  cancelled: 'gray',
};

/** "Pending · step 1 of 2", "Approved", …: the text says it all, the colour only repeats it. */
export function RequestStatusBadge({ request }: { request: Pick<RequestView, 'status' | 'step'> }) {
  const name = request.status.charAt(0).toUpperCase() + request.status.slice(1);
  const text = request.status === 'pending' && request.step ? `${name} · step ${request.step}` : name;
  return (
    <Badge color={colors[request.status]} variant="light" aria-label={`Request status ${text}`}>
      {text}
    </Badge>
  );
}

/** "needs 2 approvals", "granted at once": what a request for the item will go through. */
export function approvalText(steps: number, implicitApproval: boolean): string {
  if (steps <= 0) return 'granted at once';
  const needs = `needs ${steps} approval${steps === 1 ? '' : 's'}`;
  return implicitApproval ? `${needs} (at once if you may approve it)` : needs;
}
