import type { Connector } from './api.ts';

/** An agent that has not reported for this long is presumed down (it reports every few seconds). */
export const agentSilentAfterSeconds = 120;

export interface Health {
  readonly level: 'ok' | 'warning' | 'down';
  readonly text: string;
}

/**
 * One word for a connector's health, worst first: an unseen agent or an open breaker stops its
 * orders; a half-open breaker is worth a look. A disabled direction (an export-only HR file) is
 * configuration, not ill health: the table shows it beside the connection instead.
 */
export function connectorHealth(c: Connector, now: number): Health {
  const seen = c.agentLastSeenAt ? (now - Date.parse(c.agentLastSeenAt)) / 1000 : null;
  if (seen === null) return { level: 'down', text: `Agent ${c.agent} never seen` };
  if (seen > agentSilentAfterSeconds) return { level: 'down', text: `Agent ${c.agent} silent for ${formatAge(seen)}` };
  if (c.breaker?.state === 'open') return { level: 'down', text: `Breaker open: ${c.breaker.reason ?? 'failures'}` };
  if (c.breaker?.state === 'half_open') return { level: 'warning', text: 'Breaker half-open: trying again' };
  return { level: 'ok', text: 'Healthy' };
}

/** "42 s", "13 min", "5 h 2 min", "3 d 4 h": ages people compare at a glance. */
export function formatAge(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}
