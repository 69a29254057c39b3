/** The only place the agent reads its environment (house rule 9). */
export interface AgentEnvironment {
  readonly serverUrl: string | undefined;
  readonly token: string | undefined;
}

export function readAgentEnvironment(): AgentEnvironment {
  return { serverUrl: process.env.ORDO_SERVER_URL, token: process.env.ORDO_AGENT_TOKEN };
}

/** Secrets referenced as `env:NAME` in connection settings. */
export function readSecretVariable(name: string): string | undefined {
  return process.env[name];
}
