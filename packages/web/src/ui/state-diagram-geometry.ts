import { provisioningLifecycle } from '@ordo/core/src/lifecycle/provisioning-lifecycle.ts';

/**
 * Where the provisioning lifecycle's boxes and arrows go. The arrows come from the lifecycle table
 * itself, so the picture cannot drift from what the engine does; only the positions are chosen by
 * hand, so the order flow reads left to right (5 → 1 → 2 → 8 → 4) as people draw it on a board.
 */

export const box = { width: 140, height: 44 } as const;
export const viewBox = { width: 1220, height: 420 } as const;

/** Centre of each state's box; `start` is the dot "no assignment yet" that creation leaves from. */
export const positions: Readonly<Record<number | 'start', { x: number; y: number }>> = {
  start: { x: 40, y: 365 },
  5: { x: 135, y: 205 },
  1: { x: 380, y: 205 },
  2: { x: 625, y: 205 },
  8: { x: 870, y: 205 },
  4: { x: 1115, y: 205 },
  0: { x: 135, y: 40 },
  7: { x: 625, y: 40 },
  6: { x: 380, y: 365 },
  3: { x: 750, y: 365 },
};

/** The centre of a state's box (`null`: the start dot). Every lifecycle state has a position. */
export function positionOf(state: number | null): { x: number; y: number } {
  const at = positions[state ?? 'start'];
  if (!at) throw new Error(`state ${state} has no place in the diagram`);
  return at;
}

/** Events the computation fires: drawn dashed and unlabelled (the legend names them), on demand. */
const computationEvents = new Set([
  'computed_missing',
  'computed_missing_review',
  'computed_equal',
  'evaluation_failed',
]);

/** Arrows that would cross a box if straight get a hand-set bend (pixels, + is to the left). */
const bends: Readonly<Record<string, number>> = { '2>4': 150, 'start>4': -120, 'start>7': 60 };

/** Self-loops go on the side where no other arrow leaves. */
const loopSides: Readonly<Record<number, 'top' | 'left' | 'right'>> = { 5: 'left', 1: 'top', 4: 'right', 7: 'right' };

export interface Edge {
  readonly key: string;
  readonly from: number | null;
  readonly to: number;
  readonly events: readonly string[];
  /** Only the computation (or creation) moves along it. */
  readonly computation: boolean;
}

/** One arrow per (from, to) pair of the table, with every event that moves along it. */
export function lifecycleEdges(): Edge[] {
  const byPair = new Map<string, { from: number | null; to: number; events: string[] }>();
  for (const [from, event, to] of provisioningLifecycle.transitions) {
    if (to === null) continue;
    const key = `${from ?? 'start'}>${to}`;
    const edge = byPair.get(key) ?? { from, to, events: [] };
    edge.events.push(event);
    byPair.set(key, edge);
  }
  return [...byPair.entries()].map(([key, e]) => ({
    key,
    ...e,
    computation: e.from === null || e.events.every((ev) => computationEvents.has(ev)),
  }));
}

/** The events a person reads on an arrow: the computation's are left to the legend. */
export function visibleEvents(edge: Edge): readonly string[] {
  return edge.computation ? [] : edge.events.filter((e) => !computationEvents.has(e));
}

export interface EdgeShape {
  /** SVG path data. */
  readonly d: string;
  /** Where the label's lines are centred, or (`above`) where the last line stands. */
  readonly label: { x: number; y: number };
  /** Labels of straight level arrows sit above the line, so the arrow stays visible. */
  readonly above?: boolean;
}

/** Where a ray from the centre of a box (or the start dot) towards `toward` leaves it. */
function exit(at: { x: number; y: number }, toward: { x: number; y: number }, dot: boolean) {
  const dx = toward.x - at.x;
  const dy = toward.y - at.y;
  const length = Math.hypot(dx, dy) || 1;
  if (dot) return { x: at.x + (dx / length) * 8, y: at.y + (dy / length) * 8 };
  const halfW = box.width / 2 + 3;
  const halfH = box.height / 2 + 3;
  const t = Math.min(
    dx === 0 ? Number.POSITIVE_INFINITY : halfW / Math.abs(dx),
    dy === 0 ? Number.POSITIVE_INFINITY : halfH / Math.abs(dy),
  );
  return { x: at.x + dx * t, y: at.y + dy * t };
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The path of one arrow. Two arrows between the same pair of states bend apart so both stay
 * visible; arrows listed in `bends` bend around the boxes they would cross.
 */
export function edgeShape(edge: Edge, reverseShown: boolean): EdgeShape {
  if (edge.from === edge.to) return loopShape(edge.to);
  const a = positionOf(edge.from);
  const b = positionOf(edge.to);
  const bend = bends[edge.key] ?? (reverseShown ? 28 : 0);
  const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  // The normal to the left of the direction a → b.
  const control = { x: mid.x + ((b.y - a.y) / length) * bend, y: mid.y - ((b.x - a.x) / length) * bend };
  const start = exit(a, bend ? control : b, edge.from === null);
  const end = exit(b, bend ? control : a, false);
  const label = bend
    ? { x: 0.25 * start.x + 0.5 * control.x + 0.25 * end.x, y: 0.25 * start.y + 0.5 * control.y + 0.25 * end.y }
    : { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 };
  const d = bend
    ? `M${round(start.x)},${round(start.y)} Q${round(control.x)},${round(control.y)} ${round(end.x)},${round(end.y)}`
    : `M${round(start.x)},${round(start.y)} L${round(end.x)},${round(end.y)}`;
  return { d, label, above: !bend && a.y === b.y };
}

function loopShape(state: number): EdgeShape {
  const { x, y } = positionOf(state);
  const w = box.width / 2;
  const h = box.height / 2;
  switch (loopSides[state] ?? 'top') {
    case 'left':
      return {
        d: `M${x - w},${y - 10} C${x - w - 45},${y - 40} ${x - w - 45},${y + 40} ${x - w - 3},${y + 12}`,
        label: { x: x - w - 10, y: y + 42 },
      };
    case 'right':
      return {
        d: `M${x + w},${y - 10} C${x + w + 45},${y - 40} ${x + w + 45},${y + 40} ${x + w + 3},${y + 12}`,
        label: { x: x + w - 10, y: y + 42 },
      };
    default:
      return {
        d: `M${x - 15},${y - h} C${x - 35},${y - h - 45} ${x + 35},${y - h - 45} ${x + 15},${y - h - 3}`,
        label: { x, y: y - h - 45 },
      };
  }
}
