import type { Agent, Breaker, Connection, Connector } from './api.ts';

/** An agent that has not reported for this long is presumed down (it reports every few seconds). */
export const agentSilentAfterSeconds = 120;

/**
 * The breaker of a connection. The connectors answer looks breakers up by connection id, but
 * agents report them by connector id (seen with the embedded agent), so both keys are tried.
 */
export function breakerOf(connection: Connection, connector: Connector, agents: readonly Agent[]): Breaker | null {
  if (connection.breaker) return connection.breaker;
  const status = agents.find((a) => a.agent === connector.agent)?.lastStatus;
  return status?.breakers[connection.id] ?? status?.breakers[connector.id] ?? null;
}

export interface Health {
  readonly level: 'ok' | 'warning' | 'down';
  readonly text: string;
}

/**
 * One word for a connector's health, worst first: an unseen agent or an open breaker stops its
 * orders; a half-open breaker is worth a look. A disabled direction (an export-only HR file) is
 * configuration, not ill health: the table shows it beside the connection instead.
 */
export function connectorHealth(c: Connector, agents: readonly Agent[], now: number): Health {
  const seen = c.agentLastSeenAt ? (now - Date.parse(c.agentLastSeenAt)) / 1000 : null;
  if (seen === null) return { level: 'down', text: `Agent ${c.agent} never seen` };
  if (seen > agentSilentAfterSeconds) return { level: 'down', text: `Agent ${c.agent} silent for ${formatAge(seen)}` };
  const open = c.connections.find((x) => breakerOf(x, c, agents)?.state === 'open');
  if (open) return { level: 'down', text: `Breaker open on ${open.id}` };
  const half = c.connections.find((x) => breakerOf(x, c, agents)?.state === 'half_open');
  if (half) return { level: 'warning', text: `Breaker half-open on ${half.id}` };
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
