import type { AuditFilter, AuditRecord } from '../storage/audit-store.ts';
import type { Stores } from '../storage/stores.ts';
import { UseCaseError } from './use-case-error.ts';

export const maxAuditPage = 500;

/**
 * One page of the audit log, newest first, with the cursor of the next (older) page: ids only
 * grow, so paging by id is stable while new records arrive.
 */
export async function queryAudit(
  deps: { readonly stores: Pick<Stores, 'audit'> },
  filter: AuditFilter,
): Promise<{ items: AuditRecord[]; nextBefore: number | null }> {
  if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) {
    throw new UseCaseError('invalid', 'AUDIT_FILTER_INVALID', 'since must be before until', {
      errors: [{ path: 'querystring.since', message: 'must be before until' }],
    });
  }
  const limit = Math.min(Math.max(1, filter.limit), maxAuditPage);
  const rows = await deps.stores.audit.list({ ...filter, limit: limit + 1 });
  const items = rows.slice(0, limit);
  return { items, nextBefore: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
