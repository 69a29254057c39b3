import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { QueryState } from '../../ui/page.tsx';
import { isMoving, pollMs, usePermissions } from './api.ts';
import { assignmentNamer, kindOrder, kindTitles } from './assignment-names.ts';
import { AssignmentTable } from './assignment-table.tsx';
import { TimelineDrawer } from './timeline-drawer.tsx';

/** View Permissions: every assignment, grouped by kind, followed live while something moves. */
export function PermissionsTab({
  entityType,
  identityId,
  name,
  openAssignment,
  onOpen,
}: {
  entityType: string;
  identityId: string;
  name: string;
  openAssignment: string | undefined;
  onOpen: (assignmentId: string | undefined) => void;
}) {
  const permissions = usePermissions(entityType, identityId);
  const items = permissions.data ?? [];
  const nameOf = assignmentNamer(items);
  const moving = isMoving(items);
  const open = items.find((a) => a.id === openAssignment);
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" role="status">
          {permissions.isPending
            ? 'Loading permissions…'
            : moving
              ? `Something is on its way (state 1, 2, 5 or 8): this list refreshes every ${pollMs / 1000} s.`
              : 'Every provisioning state is settled.'}
        </Text>
        <Button
          variant="default"
          size="xs"
          onClick={() => void permissions.refetch()}
          loading={permissions.isFetching}
          aria-label={`Refresh permissions of ${name}`}
        >
          Refresh
        </Button>
      </Group>
      <QueryState query={permissions}>
        {() =>
          items.length === 0 ? (
            <Text>{name} has no permission: no rule gives one and nothing was requested.</Text>
          ) : (
            kindOrder.map((kind) => {
              const ofKind = items.filter((a) => a.kind === kind);
              if (ofKind.length === 0) return null;
              return (
                <Stack key={kind} gap={4}>
                  <Title order={2} size="h4">
                    {kindTitles[kind]} ({ofKind.length})
                  </Title>
                  <AssignmentTable
                    caption={`${kindTitles[kind]} of ${name}`}
                    items={ofKind}
                    nameOf={nameOf}
                    onOpen={onOpen}
                  />
                </Stack>
              );
            })
          )
        }
      </QueryState>
      <TimelineDrawer
        entityType={entityType}
        identityId={identityId}
        assignmentId={openAssignment}
        assignment={open}
        title={open ? nameOf(open) : (openAssignment ?? '')}
        onClose={() => onOpen(undefined)}
      />
    </Stack>
  );
}
