/** The parts of GET /api/connectors and GET /api/agents (connector-routes.ts) this screen uses. */

export interface Breaker {
  readonly state: 'closed' | 'open' | 'half_open';
  readonly reason: string | null;
}

export interface Connection {
  readonly id: string;
  readonly kind: string;
  /** `export`: never read; `fulfil`: never written; `none`: both. */
  readonly disabled: 'none' | 'export' | 'fulfil';
}

export interface Connector {
  readonly id: string;
  readonly displayName: string;
  readonly agent: string;
  readonly entityTypes: readonly string[];
  readonly connections: readonly Connection[];
  readonly queueDepth: number;
  readonly oldestPendingAgeSeconds: number | null;
  /** Order counts keyed by provisioning state number. */
  readonly ordersByState: Readonly<Record<string, number>>;
  readonly agentLastSeenAt: string | null;
  /** The agent's breaker for the connector: it breaks per connector, for all its connections. */
  readonly breaker: Breaker | null;
}

export interface Agent {
  readonly agent: string;
  readonly connectors: readonly string[];
  readonly lastStatus: {
    readonly at: string;
    readonly inFlight: number;
    readonly breakers: Readonly<Record<string, Breaker>>;
  } | null;
  readonly liveTokens: number;
}
