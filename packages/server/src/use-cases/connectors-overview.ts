import { randomBytes } from 'node:crypto';
import { type Model, ProvisioningState } from '@ordo/core';
import type { Clock } from '../clock.ts';
import type { AgentStatusBoard } from '../observability/agent-status-board.ts';
import type { AgentTokenInfo } from '../storage/agent-token-store.ts';
import type { Stores } from '../storage/stores.ts';
import { UseCaseError } from './use-case-error.ts';

export type BreakerView = { readonly state: 'closed' | 'open' | 'half_open'; readonly reason: string | null };

export interface ConnectorView {
  readonly id: string;
  readonly displayName: string;
  readonly agent: string;
  readonly entityTypes: string[];
  /** Connections with their kind and the NAMES of their settings: values (and secrets) stay on the server. */
  readonly connections: {
    readonly id: string;
    readonly kind: string;
    readonly disabled: 'none' | 'export' | 'fulfil';
    readonly settingNames: string[];
  }[];
  /** The agent's circuit breaker for this connector (it breaks per connector, for all its connections). */
  readonly breaker: BreakerView | null;
  /** Orders Pending (1) or Transmitted (2). */
  readonly queueDepth: number;
  /** Seconds since the oldest Pending order was created, or null when none waits. */
  readonly oldestPendingAgeSeconds: number | null;
  /** Orders per provisioning state number, only states with orders. */
  readonly ordersByState: Readonly<Record<string, number>>;
  readonly agentLastSeenAt: string | null;
}

export interface AgentView {
  readonly agent: string;
  readonly connectors: string[];
  /** The last status the agent sent to this server, or null if it has not called it yet. */
  readonly lastStatus: {
    readonly at: string;
    readonly inFlight: number;
    readonly breakers: Readonly<Record<string, BreakerView>>;
  } | null;
  readonly liveTokens: number;
  readonly tokens: AgentTokenInfo[];
}

export interface ConnectorsOverviewDeps {
  readonly stores: Pick<Stores, 'orders' | 'agentTokens'>;
  readonly clock: Clock;
  readonly statusBoard?: Pick<AgentStatusBoard, 'entries'>;
}

function lastStatuses(deps: Pick<ConnectorsOverviewDeps, 'statusBoard'>) {
  return new Map((deps.statusBoard?.entries() ?? []).map((e) => [e.agent, e]));
}

/** Every connector of the applied model with its queue, its orders by state and its agent's breakers. */
export async function listConnectors(
  deps: ConnectorsOverviewDeps,
  model: Pick<Model, 'connectors'>,
): Promise<ConnectorView[]> {
  const now = Date.parse(deps.clock.now());
  const counts = await deps.stores.orders.countByConnectorAndState();
  const oldest = new Map(
    (await deps.stores.orders.oldestByConnector(ProvisioningState.Pending)).map((r) => [r.connector, r.createdAt]),
  );
  const statuses = lastStatuses(deps);
  return Object.values(model.connectors)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((connector) => {
      const ordersByState: Record<string, number> = {};
      let queueDepth = 0;
      for (const row of counts) {
        if (row.connector !== connector.id) continue;
        ordersByState[String(row.state)] = row.count;
        if (row.state === ProvisioningState.Pending || row.state === ProvisioningState.Transmitted) {
          queueDepth += row.count;
        }
      }
      const oldestAt = oldest.get(connector.id);
      const status = statuses.get(connector.agent);
      return {
        id: connector.id,
        displayName: connector.displayName,
        agent: connector.agent,
        entityTypes: [...connector.entityTypes],
        connections: Object.values(connector.connections).map((c) => ({
          id: c.id,
          kind: c.kind,
          disabled: c.disabled,
          settingNames: Object.keys(c.settings).sort(),
        })),
        breaker: status?.report.breakers[connector.id] ?? null,
        queueDepth,
        oldestPendingAgeSeconds: oldestAt ? Math.max(0, Math.floor((now - Date.parse(oldestAt)) / 1000)) : null,
        ordersByState,
        agentLastSeenAt: status ? new Date(status.at).toISOString() : null,
      };
    });
}

/** The agents the applied model names, with their last status and tokens (never token values). */
export async function listAgents(deps: ConnectorsOverviewDeps, model: Pick<Model, 'connectors'>): Promise<AgentView[]> {
  const byAgent = new Map<string, string[]>();
  for (const connector of Object.values(model.connectors)) {
    byAgent.set(connector.agent, [...(byAgent.get(connector.agent) ?? []), connector.id]);
  }
  const statuses = lastStatuses(deps);
  const answer: AgentView[] = [];
  for (const agent of [...byAgent.keys()].sort()) {
    const tokens = await deps.stores.agentTokens.listFor(agent);
    const status = statuses.get(agent);
    answer.push({
      agent,
      connectors: (byAgent.get(agent) ?? []).sort(),
      lastStatus: status
        ? { at: new Date(status.at).toISOString(), inFlight: status.report.inFlight, breakers: status.report.breakers }
        : null,
      liveTokens: tokens.filter((t) => t.revokedAt === null).length,
      tokens,
    });
  }
  return answer;
}

export interface AgentTokenDeps {
  readonly stores: Pick<Stores, 'agentTokens' | 'audit' | 'transaction'>;
  readonly clock: Clock;
  readonly newId: () => string;
}

function requireAgent(model: Pick<Model, 'connectors'>, agent: string): void {
  if (!Object.values(model.connectors).some((c) => c.agent === agent)) {
    throw new UseCaseError(
      'not_found',
      'AGENT_NOT_FOUND',
      `no connector of the applied model names the agent ${agent}`,
    );
  }
}

/** A new token for an agent the model names; the value is answered once, stored as a hash. */
export async function createAgentToken(
  deps: AgentTokenDeps,
  model: Pick<Model, 'connectors'>,
  actor: string,
  agent: string,
): Promise<AgentTokenInfo & { token: string }> {
  requireAgent(model, agent);
  const token = `ordo_agent_${randomBytes(32).toString('base64url')}`;
  const id = deps.newId();
  const at = deps.clock.now();
  return deps.stores.transaction(async (tx) => {
    await tx.agentTokens.create({ id, agent, token, at });
    const info: AgentTokenInfo = { id, agent, createdAt: at, revokedAt: null };
    await tx.audit.record({
      at,
      actor,
      action: 'agent_token.created',
      targetKind: 'agent',
      targetId: agent,
      after: info,
    });
    return { ...info, token };
  });
}

export async function revokeAgentToken(
  deps: Pick<AgentTokenDeps, 'stores' | 'clock'>,
  actor: string,
  agent: string,
  tokenId: string,
): Promise<AgentTokenInfo> {
  const at = deps.clock.now();
  return deps.stores.transaction(async (tx) => {
    const before = (await tx.agentTokens.listFor(agent)).find((t) => t.id === tokenId);
    if (!before) throw new UseCaseError('not_found', 'TOKEN_NOT_FOUND', `no token ${tokenId} of the agent ${agent}`);
    if (before.revokedAt !== null || !(await tx.agentTokens.revoke(tokenId, at))) {
      throw new UseCaseError('conflict', 'TOKEN_ALREADY_REVOKED', `the token ${tokenId} is revoked already`);
    }
    const after = { ...before, revokedAt: at };
    await tx.audit.record({
      at,
      actor,
      action: 'agent_token.revoked',
      targetKind: 'agent',
      targetId: agent,
      before,
      after,
    });
    return after;
  });
}
