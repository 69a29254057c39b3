import { Anchor, Table, VisuallyHidden } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { IdentitySummary } from './api.ts';
import { formatValue, humanize, identityName, valueColumns } from './identity-values.ts';

/** Search results: key, name and the main values; the name opens the identity page. */
export function DirectoryTable({
  entityType,
  typeName,
  items,
}: {
  entityType: string;
  typeName: string;
  items: readonly IdentitySummary[];
}) {
  const columns = valueColumns(items);
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover verticalSpacing={6} fz="sm" aria-label={`${typeName} identities`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Key</Table.Th>
            <Table.Th scope="col">Name</Table.Th>
            {columns.map((name) => (
              <Table.Th scope="col" key={name}>
                {humanize(name)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.id}>
              <Table.Td ff="monospace">{item.key}</Table.Td>
              <Table.Td>
                <Anchor
                  fw={500}
                  renderRoot={(props) => (
                    <Link
                      {...props}
                      to="/directory/$entityType/$identityId"
                      params={{ entityType, identityId: item.id }}
                    />
                  )}
                >
                  {identityName(item.values, item.key)}
                  <VisuallyHidden> ({item.key})</VisuallyHidden>
                </Anchor>
              </Table.Td>
              {columns.map((name) => (
                <Table.Td key={name}>{formatValue(item.values[name])}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
