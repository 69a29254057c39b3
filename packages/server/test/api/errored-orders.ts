import { expect } from 'vitest';
import type { ApiFixture } from './api-fixture.ts';

/** Errored LDAP orders, the real way: the local agent leases them and reports a permanent failure. */
export async function erroredLdapOrders(fixture: ApiFixture, count: number, kind = 'rejected'): Promise<string[]> {
  const agent = fixture.runtime.agentService('local');
  const items = await agent.lease({ connectors: ['Directory'], max: count, waitMs: 0 });
  expect(items.length).toBe(count);
  const verdicts = await agent.report(
    items.map((item) => ({
      orderId: item.orderId,
      leaseToken: item.leaseToken,
      outcome: 'errored' as const,
      error: { message: `the directory refused it (${kind})`, kind, applied: 'no' as const, retryable: false },
    })),
  );
  expect(verdicts.every((v) => v.accepted)).toBe(true);
  return items.map((i) => i.orderId).sort();
}
