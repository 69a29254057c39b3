import { Anchor, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { formatValue, humanize, identityName, valueColumns } from '../directory/identity-values.ts';
import type { IdentityDetail } from './api.ts';

/** The identity's key, values and links (e.g. its manager), then the accounts it owns. */
export function IdentityHeader({ identity, typeName }: { identity: IdentityDetail; typeName: string }) {
  const names = Object.keys(identity.values);
  const links = Object.entries(identity.links).filter(([, targets]) => targets.length > 0);
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {typeName} · key <code>{identity.key}</code>
        </Text>
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" verticalSpacing={6} component="dl" m={0}>
          {names.map((name) => (
            <div key={name}>
              <Text component="dt" size="xs" c="dimmed">
                {humanize(name)}
              </Text>
              <Text component="dd" size="sm" m={0}>
                {formatValue(identity.values[name])}
              </Text>
            </div>
          ))}
          {links.map(([name, targets]) => (
            <div key={`link:${name}`}>
              <Text component="dt" size="xs" c="dimmed">
                {humanize(name)}
              </Text>
              <Text component="dd" size="sm" m={0}>
                {targets.map((target, i) => (
                  <span key={target.id}>
                    {i > 0 && ', '}
                    <LinkedIdentity entityType={identity.entityType} id={target.id} label={target.key} />
                  </span>
                ))}
              </Text>
            </div>
          ))}
        </SimpleGrid>
        <OwnedResources identity={identity} />
      </Stack>
    </Paper>
  );
}

/** A link target of the same entity type opens its page; any other is only named. */
function LinkedIdentity({ entityType, id, label }: { entityType: string; id: string; label: string }) {
  if (!id.startsWith(`${entityType}:`)) return <>{label}</>;
  return (
    <Anchor
      renderRoot={(props) => (
        <Link {...props} to="/directory/$entityType/$identityId" params={{ entityType, identityId: id }} />
      )}
    >
      {label}
    </Anchor>
  );
}

/** Accounts in systems: what the identity really has, as the last synchronizations saw it. */
function OwnedResources({ identity }: { identity: IdentityDetail }) {
  const name = identityName(identity.values, identity.key);
  if (identity.owns.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No account in any system yet: accounts appear here once a synchronization finds them.
      </Text>
    );
  }
  const columns = valueColumns(
    identity.owns.map((o) => o.resource),
    4,
  );
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Title order={2} size="h5">
          Accounts
        </Title>
        <Text size="sm" c="dimmed">
          ({identity.owns.length})
        </Text>
      </Group>
      <Table.ScrollContainer minWidth={560}>
        <Table fz="sm" verticalSpacing={4} aria-label={`Accounts owned by ${name}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Resource type</Table.Th>
              <Table.Th scope="col">Key</Table.Th>
              {columns.map((c) => (
                <Table.Th scope="col" key={c}>
                  {humanize(c)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {identity.owns.map((owned) => (
              <Table.Tr key={owned.assignmentId}>
                <Table.Td>{owned.resourceTypeId}</Table.Td>
                <Table.Td ff="monospace">{owned.resource.key}</Table.Td>
                {columns.map((c) => (
                  <Table.Td key={c}>{formatValue(owned.resource.values[c])}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
