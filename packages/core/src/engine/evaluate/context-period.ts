import type { Model, TimeOffset } from '../../model.ts';
import type { Resource } from '../../resources.ts';

/** A validity period; null bounds are open. ISO-8601 strings. */
export interface Period {
  readonly start: string | null;
  readonly end: string | null;
}

const MINUTE = 60_000;

function dateOf(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  let iso = isoDates.get(value);
  if (iso === undefined) {
    const time = Date.parse(value);
    iso = Number.isNaN(time) ? null : new Date(time).toISOString();
    if (isoDates.size >= ISO_DATES_MAX) isoDates.clear();
    isoDates.set(value, iso);
  }
  return iso;
}

// Contract dates repeat across people (hiring days); parsing and formatting each is measurable.
// Bounded, so that a long run does not keep every date ever seen.
const ISO_DATES_MAX = 4096;
const isoDates = new Map<string, string | null>();

/** The owner's context period, read from the source entity type's `context.start/end` properties. */
export function contextPeriod(model: Model, identity: Resource): Period {
  const context = model.entityTypes[identity.entityType]?.context;
  return {
    start: context?.start ? dateOf(identity.values[context.start]) : null,
    end: context?.end ? dateOf(identity.values[context.end]) : null,
  };
}

export function addMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * MINUTE).toISOString();
}

/**
 * The period a time offset gives relative to the context (reference spec §5.3): Around starts at
 * start + startMinutes and ends at end + endMinutes; Before counts both from the start; After both
 * from the end. Null when the reference date is unknown (no departure date → no "after" period).
 */
export function offsetPeriod(offset: TimeOffset | null, context: Period): Period | null {
  if (!offset) return context;
  switch (offset.reference) {
    case 'around':
      return { start: shift(context.start, offset.startMinutes), end: shift(context.end, offset.endMinutes) };
    case 'before':
      if (context.start === null) return null;
      return { start: shift(context.start, offset.startMinutes), end: shift(context.start, offset.endMinutes) };
    case 'after':
      if (context.end === null) return null;
      return { start: shift(context.end, offset.startMinutes), end: shift(context.end, offset.endMinutes) };
  }
}

export function periodContains(period: Period, now: string): boolean {
  const t = Date.parse(now);
  if (period.start !== null && Date.parse(period.start) > t) return false;
  if (period.end !== null && Date.parse(period.end) < t) return false;
  return true;
}

/** True when the period has ended before `now` (a future period is not over). */
export function periodOver(period: Period, now: string): boolean {
  return period.end !== null && Date.parse(period.end) < Date.parse(now);
}

function shift(date: string | null, minutes: number): string | null {
  return date === null ? null : addMinutes(date, minutes);
}

/** Overlap priority of scenario 37: Default > Around > Before > After (lower wins). */
export function offsetPriority(offset: TimeOffset | null): number {
  if (!offset) return 0;
  return { around: 1, before: 2, after: 3 }[offset.reference];
}

/** The union's end of several periods (null = open-ended wins). */
export function latestEnd(periods: readonly Period[]): string | null {
  let latest: string | null = '';
  for (const p of periods) {
    if (p.end === null) return null;
    if (latest === '' || Date.parse(p.end) > Date.parse(latest)) latest = p.end;
  }
  return latest === '' ? null : latest;
}
