/**
 * How many times slower a route is than its raw baseline: the ratio of their medians (nearest
 * rank, as summarizeLatencies), to one decimal. Computed from the unrounded samples, because a
 * raw query often takes a few hundredths of a millisecond and the rounded p50 would be 0.
 * Null when either side has no samples or the baseline took no measurable time.
 */
export function ratioOf(routeSamplesMs: readonly number[], rawSamplesMs: readonly number[]): number | null {
  const route = medianOf(routeSamplesMs);
  const raw = medianOf(rawSamplesMs);
  if (route === null || raw === null || !(raw > 0)) return null;
  return Math.round((route / raw) * 10) / 10;
}

function medianOf(samples: readonly number[]): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1] ?? null;
}
