import type { ExpressionBuilder } from 'kysely';

/**
 * The rows after a cursor in a newest-first list ordered by (created_at desc, id desc): older, or
 * as old with a smaller id. For every table with those two columns.
 */
export function olderThan(before: { readonly createdAt: string; readonly id: string }) {
  // biome-ignore lint/suspicious/noExplicitAny: shared by several tables with created_at and id.
  return (eb: ExpressionBuilder<any, any>) =>
    eb.or([
      eb('created_at', '<', before.createdAt),
      eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
    ]);
}
