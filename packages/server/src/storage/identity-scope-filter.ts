import type { IdentityScope } from '@ordo/core';
import { type RawBuilder, sql } from 'kysely';

/**
 * SQL form of `inIdentityScope` (core): the identity whose id is in `idColumn` is the scope's
 * own identity, or links to it through one of the manager properties. Kept next to the stores
 * that list identities, so that paging over a scoped list never filters after the limit.
 */
export function inScopeSql(scope: IdentityScope, idColumn: string): RawBuilder<boolean> {
  if (scope.kind === 'all') return sql<boolean>`1 = 1`;
  if (scope.kind === 'none' || scope.self === null) return sql<boolean>`1 = 0`;
  const id = sql.ref(idColumn);
  if (scope.managerProperties.length === 0) return sql<boolean>`${id} = ${scope.self}`;
  const properties = sql.join(scope.managerProperties.map((p) => sql`${p}`));
  return sql<boolean>`(${id} = ${scope.self} or exists (
    select 1 from resource_links scope_link
    where scope_link.resource_id = ${id}
      and scope_link.property in (${properties})
      and scope_link.target_id = ${scope.self}))`;
}
