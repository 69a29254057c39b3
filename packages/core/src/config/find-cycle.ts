/**
 * Follows single-valued links (category parent, resource type dependsOn) from `start` and returns
 * the loop it enters, starting and ending at `start` (`[A, B, A]`), or null when `start` is not on
 * a loop. Links to unknown ids end the walk (they are reported elsewhere).
 */
export function findCycle(start: string, next: (id: string) => string | null): string[] | null {
  const path = [start];
  const seen = new Set([start]);
  let current = next(start);
  while (current !== null) {
    if (current === start) return [...path, start];
    if (seen.has(current)) return null;
    seen.add(current);
    path.push(current);
    current = next(current);
  }
  return null;
}
