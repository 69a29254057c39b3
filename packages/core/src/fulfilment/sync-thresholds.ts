import type { SyncThresholds } from '../model.ts';

export interface SyncCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
}

export interface SyncThresholdVerdict {
  readonly change: keyof SyncCounts;
  readonly count: number;
  /** The lower of the absolute and percentage limits; null when none applies. */
  readonly limit: number | null;
  readonly exceeded: boolean;
}

/**
 * A synchronization's counts against the connector's thresholds (reference spec §4.3): absolute
 * and percentage limits both apply and the lower wins; 0 is off. Percentages are of the resources
 * already held, so they do not apply to a first load (an empty population), which would
 * otherwise always be 100 % inserted.
 */
export function checkSyncThresholds(
  thresholds: SyncThresholds,
  counts: SyncCounts,
  population: number,
): { blocked: boolean; verdicts: SyncThresholdVerdict[] } {
  const limits = {
    inserted: [thresholds.maxInserted, thresholds.maxInsertedPercent],
    updated: [thresholds.maxUpdated, thresholds.maxUpdatedPercent],
    deleted: [thresholds.maxDeleted, thresholds.maxDeletedPercent],
  } as const;
  const verdicts = (Object.keys(limits) as (keyof SyncCounts)[]).map((change) => {
    const [absolute, percent] = limits[change];
    const count = counts[change];
    const candidates: number[] = [];
    if (absolute > 0) candidates.push(absolute);
    if (percent > 0 && population > 0) candidates.push(Math.floor((population * percent) / 100));
    const limit = candidates.length ? Math.min(...candidates) : null;
    // Compared exactly, as order thresholds are: 1 of 3 is 33 %, above a 30 % limit.
    const exceeded =
      (absolute > 0 && count > absolute) || (percent > 0 && population > 0 && count * 100 > population * percent);
    return { change, count, limit, exceeded };
  });
  return { blocked: verdicts.some((v) => v.exceeded), verdicts };
}
