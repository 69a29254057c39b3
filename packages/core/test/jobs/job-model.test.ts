import { describe, expect, it } from 'vitest';
import {
  isFinalJobStatus,
  type JobStatus,
  jobEvents,
  jobStatuses,
  jobTransition,
} from '../../src/jobs/job-lifecycle.ts';
import { describeJob, jobLockScopes, planJob, validateJobRequest } from '../../src/jobs/job-plan.ts';

/** The allowed transitions, "from event to" with "-" for no job: the table is checked against it. */
const allowed = [
  '- launched running',
  'running succeeded completed',
  'running failed failed',
  'running threshold_exceeded blocked',
  'running node_lost interrupted',
  'blocked resumed running',
];

describe('job status lifecycle', () => {
  const froms: (JobStatus | null)[] = [null, ...jobStatuses];
  for (const from of froms) {
    for (const event of jobEvents) {
      const key = `${from ?? '-'} ${event}`;
      const expected = allowed.find((line) => line.startsWith(`${key} `));
      it(`${key} → ${expected ? expected.split(' ')[2] : 'refused'}`, () => {
        const result = jobTransition(from, event);
        if (expected) expect(result).toEqual({ ok: true, status: expected.split(' ')[2] });
        else {
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.code).toBe('JOB_TRANSITION_REFUSED');
        }
      });
    }
  }

  it('final statuses are those no event leaves', () => {
    for (const status of jobStatuses) {
      const leaves = jobEvents.some((e) => jobTransition(status, e).ok);
      expect(isFinalJobStatus(status), status).toBe(!leaves);
    }
  });
});

describe('job plans', () => {
  it('a complete job exports completely and computes everyone', () => {
    expect(planJob({ kind: 'complete' })).toEqual([
      { task: 'export', mode: 'complete' },
      { task: 'synchronize' },
      { task: 'compute', mode: 'complete' },
      { task: 'generate' },
      { task: 'fulfil' },
    ]);
  });

  it('an incremental job exports changes and computes the dirty identities', () => {
    expect(planJob({ kind: 'incremental', connector: 'LDAP' })).toEqual([
      { task: 'export', mode: 'incremental' },
      { task: 'synchronize' },
      { task: 'compute', mode: 'dirty' },
      { task: 'generate' },
      { task: 'fulfil' },
    ]);
  });

  it('a task job runs one step', () => {
    expect(planJob({ kind: 'task', task: 'generate' })).toEqual([{ task: 'generate' }]);
    expect(planJob({ kind: 'task', task: 'compute' })).toEqual([{ task: 'compute', mode: 'complete' }]);
  });

  it('validates kind, task and connector together', () => {
    expect(validateJobRequest({ kind: 'task' }, ['LDAP'])).toEqual([
      { path: 'task', message: 'a task job names its task' },
    ]);
    expect(validateJobRequest({ kind: 'complete', task: 'compute', connector: 'Nope' }, ['LDAP'])).toHaveLength(2);
    expect(validateJobRequest({ kind: 'task', task: 'fulfil', connector: 'LDAP' }, ['LDAP'])).toEqual([]);
  });

  it('a job over every connector locks each of them', () => {
    expect(jobLockScopes({ kind: 'complete' }, ['LDAP', 'HR'])).toEqual(['HR', 'LDAP']);
    expect(jobLockScopes({ kind: 'complete', connector: 'HR' }, ['LDAP', 'HR'])).toEqual(['HR']);
    expect(describeJob({ kind: 'task', task: 'compute' })).toBe('task compute for all connectors');
  });
});
