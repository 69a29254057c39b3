import { createHash } from 'node:crypto';
import type { Database } from './database.ts';

export interface AgentTokenInfo {
  readonly id: string;
  readonly agent: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** API tokens of agents. Only a hash is stored; the token itself is shown once, at creation. */
export class AgentTokenStore {
  constructor(private readonly database: Database) {}

  async create(entry: { id: string; agent: string; token: string; at: string }): Promise<void> {
    await this.database.db
      .insertInto('agent_tokens')
      .values({
        id: entry.id,
        agent: entry.agent,
        token_hash: hashToken(entry.token),
        created_at: entry.at,
        revoked_at: null,
      })
      .execute();
  }

  /** The agent a token belongs to, or undefined for an unknown or revoked token. */
  async agentOf(token: string): Promise<string | undefined> {
    const row = await this.database.db
      .selectFrom('agent_tokens')
      .select('agent')
      .where('token_hash', '=', hashToken(token))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row?.agent;
  }

  /** The tokens of an agent (live and revoked), oldest first; never their values. */
  async listFor(agent: string): Promise<AgentTokenInfo[]> {
    const rows = await this.database.db
      .selectFrom('agent_tokens')
      .select(['id', 'agent', 'created_at', 'revoked_at'])
      .where('agent', '=', agent)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, agent: r.agent, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  async revoke(id: string, at: string): Promise<boolean> {
    const result = await this.database.db
      .updateTable('agent_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
