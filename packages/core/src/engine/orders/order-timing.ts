/**
 * Time decisions of order generation. Dates are ISO-8601 strings compared as instants, so that
 * `2025-03-01` and `2025-03-01T00:00:00Z` mean the same moment.
 */

const hourMs = 3_600_000;

/** Milliseconds since the epoch, or null when the text is not a date. */
export function instant(iso: string): number | null {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * When the order of an assignment may go out: `fulfilHoursAhead` hours before its start
 * (reference spec §5.2 FulfillHoursAheadOfTime). Null start = already due.
 */
export function dueAt(startDate: string | null, fulfilHoursAhead: number): number | null {
  if (startDate === null) return null;
  const start = instant(startDate);
  return start === null ? null : start - fulfilHoursAhead * hourMs;
}

/** An end date at or before now: the assignment concerns the past (DESIGN §2.10). */
export function hasEnded(endDate: string | null, now: number): boolean {
  if (endDate === null) return false;
  const end = instant(endDate);
  return end !== null && end <= now;
}
