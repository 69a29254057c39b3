import type { Model, OrderThresholds } from '../../model.ts';
import type { ChangeType, ProvisioningOrder } from '../../orders.ts';

/** Orders of one generation run, per change type. */
export type ChangeCounts = Readonly<Record<ChangeType, number>>;

export interface ThresholdVerdict {
  readonly resourceTypeId: string;
  readonly changeType: ChangeType;
  readonly count: number;
  /** Largest number of orders allowed by this limit. */
  readonly limit: number;
  readonly kind: 'absolute' | 'percent';
  /** For percent limits: the configured percentage and the population it applies to. */
  readonly percent: number | null;
  readonly population: number | null;
  readonly exceeded: boolean;
}

export interface ThresholdCheck {
  /** True when a limit is exceeded and the run was not forced: no order may be written. */
  readonly blocked: boolean;
  /** One verdict per limit that applies (limits set to 0 are off and give none). */
  readonly verdicts: readonly ThresholdVerdict[];
}

export interface CheckThresholdsOptions {
  /** A person resumed the blocked run (Usercube's ForceProvisioning): report, but do not block. */
  readonly force?: boolean;
}

const limitFields: Readonly<Record<ChangeType, { absolute: keyof OrderThresholds; percent: keyof OrderThresholds }>> = {
  added: { absolute: 'maxInsert', percent: 'maxInsertPercent' },
  modified: { absolute: 'maxUpdate', percent: 'maxUpdatePercent' },
  deleted: { absolute: 'maxDelete', percent: 'maxDeletePercent' },
};

/**
 * Safety limits of order generation (DESIGN §2.11, reference spec scenario 33): per resource type
 * and change type, an absolute limit and a percentage of the resource type's population (its
 * current number of assigned targets) both apply, so the lower one decides. 0 turns a limit off.
 *
 * Counting unit (reference §13 question 19): one order concerns one target resource, so counting
 * orders is counting resources; a Modified order counts once however many values it changes.
 *
 * Empty population: a percentage of nothing is 0, which would block every first load of a resource
 * type. A first load is exactly when percentages mean nothing, so they do not apply when the
 * population is 0; absolute limits still do, and are the way to cap a first load.
 */
export function checkThresholds(
  model: Model,
  counts: Readonly<Record<string, ChangeCounts>>,
  population: Readonly<Record<string, number>>,
  options: CheckThresholdsOptions = {},
): ThresholdCheck {
  const verdicts: ThresholdVerdict[] = [];
  for (const [resourceTypeId, perChange] of Object.entries(counts)) {
    const resourceType = model.resourceTypes[resourceTypeId];
    if (!resourceType) {
      throw new ThresholdError(
        `thresholds: resource type "${resourceTypeId}" has orders but is not in the configuration`,
      );
    }
    const size = population[resourceTypeId] ?? 0;
    for (const changeType of Object.keys(limitFields) as ChangeType[]) {
      const count = perChange[changeType];
      if (count === 0) continue;
      const fields = limitFields[changeType];
      const absolute = resourceType.thresholds[fields.absolute];
      if (absolute > 0) {
        verdicts.push({
          resourceTypeId,
          changeType,
          count,
          limit: absolute,
          kind: 'absolute',
          percent: null,
          population: null,
          exceeded: count > absolute,
        });
      }
      const percent = resourceType.thresholds[fields.percent];
      if (percent > 0 && size > 0) {
        verdicts.push({
          resourceTypeId,
          changeType,
          count,
          limit: Math.floor((size * percent) / 100),
          kind: 'percent',
          percent,
          population: size,
          // Integer comparison: no rounding decides whether a run is blocked.
          exceeded: count * 100 > size * percent,
        });
      }
    }
  }
  const exceeded = verdicts.some((v) => v.exceeded);
  return { blocked: exceeded && options.force !== true, verdicts };
}

/** Counts a run's orders per resource type and change type, the input of `checkThresholds`. */
export function countOrders(orders: readonly Pick<ProvisioningOrder, 'resourceTypeId' | 'changeType'>[]) {
  const counts: Record<string, Record<ChangeType, number>> = {};
  for (const o of orders) {
    const c = (counts[o.resourceTypeId] ??= { added: 0, modified: 0, deleted: 0 });
    c[o.changeType] += 1;
  }
  return counts;
}

export class ThresholdError extends Error {
  readonly code = 'THRESHOLD_UNKNOWN_RESOURCE_TYPE';
  constructor(message: string) {
    super(message);
    this.name = 'ThresholdError';
  }
}

/** A person-readable line per exceeded limit, for the blocked job's warning. */
export function describeExceeded(check: ThresholdCheck): string[] {
  return check.verdicts
    .filter((v) => v.exceeded)
    .map((v) =>
      v.kind === 'absolute'
        ? `${v.resourceTypeId}: ${v.count} ${v.changeType} orders exceed the limit of ${v.limit}`
        : `${v.resourceTypeId}: ${v.count} ${v.changeType} orders exceed ${v.percent}% of ${v.population} targets (${v.limit})`,
    );
}
