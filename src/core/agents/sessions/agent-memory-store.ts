/** Bedrock's `MemorySessionSummary`: one ended session, summarized. */
export interface SessionSummaryRecord {
  agentId: string;
  memoryId: string;
  sessionId: string;
  sessionStartTime: Date;
  /** when the session ended */
  sessionExpiryTime: Date;
  summaryText: string;
  /** when the summary is forgotten (`storageDays` after the session ended) */
  expiresAt: Date;
}

/** Summaries of ended sessions by agent and memoryId (SESSION_SUMMARY memory). */
export interface AgentMemoryStore {
  add(record: SessionSummaryRecord): Promise<void>;
  /** the unexpired summaries of one memoryId, newest first */
  list(agentId: string, memoryId: string, now: Date): Promise<SessionSummaryRecord[]>;
  /** forgets a memoryId (one session of it when sessionId is given), or every memory of the agent */
  delete(agentId: string, filter: { memoryId?: string; sessionId?: string }): Promise<void>;
}

/**
 * Memory in process memory, for tests and single-run setups.
 *
 * @example
 * const memory = new InMemoryAgentMemoryStore();
 * await memory.add(record);
 */
export class InMemoryAgentMemoryStore implements AgentMemoryStore {
  private records: SessionSummaryRecord[] = [];

  async add(record: SessionSummaryRecord): Promise<void> {
    this.records = this.records.filter((item) => !(item.agentId === record.agentId && item.memoryId === record.memoryId && item.sessionId === record.sessionId));
    this.records.push(record);
  }

  async list(agentId: string, memoryId: string, now: Date): Promise<SessionSummaryRecord[]> {
    this.records = this.records.filter((item) => item.expiresAt.getTime() > now.getTime());
    return this.records
      .filter((item) => item.agentId === agentId && item.memoryId === memoryId)
      .sort((a, b) => b.sessionExpiryTime.getTime() - a.sessionExpiryTime.getTime() || b.sessionId.localeCompare(a.sessionId));
  }

  async delete(agentId: string, filter: { memoryId?: string; sessionId?: string }): Promise<void> {
    this.records = this.records.filter(
      (item) =>
        !(item.agentId === agentId && (filter.memoryId === undefined || item.memoryId === filter.memoryId) && (filter.sessionId === undefined || item.sessionId === filter.sessionId)),
    );
  }
}
