import { Badge, Button, Group, List, Stack, Table, Text } from '@mantine/core';
import { formatDate, formatTime } from '../../ui/page.tsx';
import { actorName, type EarlierDecision, type PendingRequest } from './api.ts';
import { IdentityLink, useIdentityName } from './identity-name.tsx';

export interface RequestTableProps {
  readonly requests: readonly PendingRequest[];
  readonly login: string;
  readonly onDecide: (request: PendingRequest, decision: 'approve' | 'decline') => void;
}

const itemKinds: Readonly<Record<PendingRequest['item']['kind'], string>> = {
  single_role: 'Role',
  composite_role: 'Composite role',
  resource_type: 'Resource type',
};

/** The pending requests, oldest first: who, what, asked by whom and when, which step, and the decisions so far. */
export function RequestTable({ requests, login, onDecide }: RequestTableProps) {
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table striped verticalSpacing="xs" aria-label="Requests waiting for review" layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="16%">Identity</Table.Th>
            <Table.Th w="18%">Requested</Table.Th>
            <Table.Th w="12%">Dates</Table.Th>
            <Table.Th w="13%">Requested by</Table.Th>
            <Table.Th w="8%">Step</Table.Th>
            <Table.Th w="17%">Earlier decisions</Table.Th>
            <Table.Th w="16%">Decision</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {requests.map((request) => (
            <RequestRow key={request.id} request={request} login={login} onDecide={onDecide} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function RequestRow({ request, login, onDecide }: { request: PendingRequest } & Omit<RequestTableProps, 'requests'>) {
  const name = useIdentityName(request.owner.entityType, request.owner.id, request.owner.key);
  return (
    <Table.Tr>
      <Table.Td>
        <IdentityLink entityType={request.owner.entityType} id={request.owner.id} identityKey={request.owner.key} />
      </Table.Td>
      <Table.Td>
        <Stack gap={2}>
          <Group gap={4}>
            <Badge size="sm" variant="light" color={request.action === 'remove' ? 'red' : 'blue'}>
              {request.action === 'remove' ? 'Remove' : 'Add'}
            </Badge>
            <Text size="sm" fw={500}>
              {request.item.displayName}
            </Text>
          </Group>
          <Text size="xs" c="dimmed">
            {itemKinds[request.item.kind]}
          </Text>
          {request.comment && (
            <Text size="xs" fs="italic">
              “{request.comment}”
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm">from {formatDate(request.startDate)}</Text>
        <Text size="sm">until {request.endDate ? formatDate(request.endDate) : 'no end'}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{actorName(request.requestedBy)}</Text>
        <Text size="xs" c="dimmed">
          {formatTime(request.requestedAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">step {request.step ?? `${request.approvals + 1} of ${request.steps}`}</Text>
        {request.autoDecision && (
          <Text size="xs" c="dimmed">
            auto-{request.autoDecision === 'approve' ? 'approved' : 'declined'} {formatTime(request.autoDecideAt)}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Decisions decisions={request.decisions} />
      </Table.Td>
      <Table.Td>
        {request.mayDecide ? (
          <Group gap="xs">
            <Button
              size="xs"
              color="green"
              onClick={() => onDecide(request, 'approve')}
              aria-label={`Approve request of ${name} for ${request.item.displayName}`}
            >
              Approve
            </Button>
            <Button
              size="xs"
              color="red"
              variant="light"
              onClick={() => onDecide(request, 'decline')}
              aria-label={`Decline request of ${name} for ${request.item.displayName}`}
            >
              Decline
            </Button>
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            {whyNot(request, login)}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** The server allows neither the requester nor an earlier step's reviewer (four eyes); say which applies. */
function whyNot(request: PendingRequest, login: string): string {
  if (actorName(request.requestedBy) === login) return 'You requested it: another reviewer decides.';
  return 'You decided an earlier step: another reviewer decides this one.';
}

const decisionWords: Readonly<Record<EarlierDecision['decision'], string>> = {
  approved: 'approved',
  declined: 'declined',
  auto_approved: 'approved automatically',
  auto_declined: 'declined automatically',
};

function Decisions({ decisions }: { decisions: readonly EarlierDecision[] }) {
  if (decisions.length === 0)
    return (
      <Text size="xs" c="dimmed">
        None yet
      </Text>
    );
  return (
    <List size="xs" spacing={2}>
      {decisions.map((d) => (
        <List.Item key={`${d.step}-${d.decidedAt}`}>
          Step {d.step} {decisionWords[d.decision]} by {actorName(d.decidedBy)}, {formatTime(d.decidedAt)}
          {d.comment ? `: “${d.comment}”` : ''}
        </List.Item>
      ))}
    </List>
  );
}
