import type { Kysely } from 'kysely';
import type { AgentMemoryStore, SessionSummaryRecord } from '../../core/agents/sessions/agent-memory-store.js';

interface AgentMemoryTables {
  agent_memory_summaries: {
    agent_id: string;
    memory_id: string;
    session_id: string;
    session_start_time: string | Date;
    session_expiry_time: string | Date;
    summary_text: string;
    expires_at: string | Date;
  };
}

type Row = AgentMemoryTables['agent_memory_summaries'];

/**
 * SESSION_SUMMARY memory over Kysely, the same queries on SQLite and PostgreSQL: a summary replaces
 * an earlier one of the same session, expired summaries are never listed (and are deleted when a
 * listing finds them), and deletions go by agent, memoryId and session.
 *
 * @example
 * const memory = new SqlAgentMemoryStore(database.db);
 * await memory.add({ agentId, memoryId: 'user-1', sessionId: 's1', sessionStartTime, sessionExpiryTime, summaryText, expiresAt });
 */
export class SqlAgentMemoryStore implements AgentMemoryStore {
  private readonly db: Kysely<AgentMemoryTables>;

  constructor(db: Kysely<object>) {
    this.db = db as unknown as Kysely<AgentMemoryTables>;
  }

  async add(record: SessionSummaryRecord): Promise<void> {
    const values = {
      session_start_time: record.sessionStartTime.toISOString(),
      session_expiry_time: record.sessionExpiryTime.toISOString(),
      summary_text: record.summaryText,
      expires_at: record.expiresAt.toISOString(),
    };
    await this.db
      .insertInto('agent_memory_summaries')
      .values({ agent_id: record.agentId, memory_id: record.memoryId, session_id: record.sessionId, ...values })
      .onConflict((conflict) => conflict.columns(['agent_id', 'memory_id', 'session_id']).doUpdateSet(values))
      .execute();
  }

  async list(agentId: string, memoryId: string, now: Date): Promise<SessionSummaryRecord[]> {
    const cutoff = now.toISOString();
    await this.db.deleteFrom('agent_memory_summaries').where('expires_at', '<=', cutoff).execute();
    const rows = await this.db
      .selectFrom('agent_memory_summaries')
      .selectAll()
      .where('agent_id', '=', agentId)
      .where('memory_id', '=', memoryId)
      .where('expires_at', '>', cutoff)
      .execute();
    return rows.map(toRecord).sort((a, b) => b.sessionExpiryTime.getTime() - a.sessionExpiryTime.getTime() || b.sessionId.localeCompare(a.sessionId));
  }

  async delete(agentId: string, filter: { memoryId?: string; sessionId?: string }): Promise<void> {
    let query = this.db.deleteFrom('agent_memory_summaries').where('agent_id', '=', agentId);
    if (filter.memoryId !== undefined) query = query.where('memory_id', '=', filter.memoryId);
    if (filter.sessionId !== undefined) query = query.where('session_id', '=', filter.sessionId);
    await query.execute();
  }
}

function toRecord(row: Row): SessionSummaryRecord {
  return {
    agentId: row.agent_id,
    memoryId: row.memory_id,
    sessionId: row.session_id,
    sessionStartTime: new Date(row.session_start_time),
    sessionExpiryTime: new Date(row.session_expiry_time),
    summaryText: row.summary_text,
    expiresAt: new Date(row.expires_at),
  };
}
