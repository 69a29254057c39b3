import { Badge, Tooltip } from '@mantine/core';
import {
  type ProvisioningState,
  provisioningStateNames,
  type WorkflowState,
  workflowStateNames,
} from '@ordo/core/src/states.ts';

/**
 * State badges always show the number and the name ("5 Awaiting Approval"): the numbers are
 * Usercube's, which identity teams know by heart, and the name makes them readable to everyone
 * else. Colour only repeats what the text says, so nobody depends on it.
 */
const provisioningColors: Readonly<Record<ProvisioningState, string>> = {
  0: 'gray',
  1: 'blue',
  2: 'cyan',
  3: 'red',
  4: 'green',
  5: 'yellow',
  6: 'gray',
  7: 'red',
  8: 'teal',
};

const provisioningMeaning: Readonly<Record<ProvisioningState, string>> = {
  0: 'Nothing to provision',
  1: 'An order is waiting for its agent',
  2: 'Handed to the system or to a person; not yet confirmed',
  3: 'The last attempt failed; waiting for a retry or a person',
  4: 'Seen in the system by a synchronization',
  5: 'Waiting for a person on Provisioning Review',
  6: 'Not to be provisioned (declined, dismissed or ended)',
  7: 'The system shows something else than what was ordered',
  8: 'Done by the connector or confirmed by a person; the next synchronization verifies it',
};

export function ProvisioningStateBadge({ state }: { state: number | null }) {
  if (state === null)
    return (
      <Badge variant="outline" color="gray">
        —
      </Badge>
    );
  const s = state as ProvisioningState;
  const name = provisioningStateNames[s] ?? 'Unknown';
  return (
    <Tooltip label={provisioningMeaning[s] ?? name} withArrow>
      <Badge
        color={provisioningColors[s] ?? 'gray'}
        variant="light"
        data-state={state}
        aria-label={`Provisioning state ${state} ${name}`}
      >
        {state} {name}
      </Badge>
    </Tooltip>
  );
}

export function WorkflowStateBadge({ state }: { state: number | null }) {
  if (state === null)
    return (
      <Badge variant="outline" color="gray">
        —
      </Badge>
    );
  const name = workflowStateNames[state as WorkflowState] ?? 'Unknown';
  const color = /declin|cancel|denied|refus/i.test(name)
    ? 'red'
    : /pending|request/i.test(name)
      ? 'yellow'
      : /approved|found|automatic|calculated/i.test(name)
        ? 'green'
        : 'gray';
  return (
    <Badge color={color} variant="outline" data-state={state} aria-label={`Workflow state ${state} ${name}`}>
      {state} {name}
    </Badge>
  );
}
