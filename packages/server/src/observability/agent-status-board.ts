import type { AgentStatusReport } from '@ordo/core';

/**
 * The last status each agent sent, kept in memory: agents send it every few seconds, so a server
 * that restarts knows them again within seconds, and several servers each know the agents that
 * call them.
 */
export class AgentStatusBoard {
  private readonly latest = new Map<string, { report: AgentStatusReport; at: number }>();

  record(agent: string, report: AgentStatusReport, at: number): void {
    this.latest.set(agent, { report, at });
  }

  entries(): { agent: string; report: AgentStatusReport; at: number }[] {
    return [...this.latest].map(([agent, { report, at }]) => ({ agent, report, at }));
  }
}
