import type { ConversationSessionRepository, ConversationTurn } from './conversation-sessions-repository.js';

/**
 * Conversation sessions in a Map, for a server without a knowledge store: lost on restart, and at
 * most `maxSessions` kept (the least recently used go first).
 *
 * @example
 * const sessions = new ConversationSessions({ repository: new InMemoryConversationSessionRepository() });
 */
export class InMemoryConversationSessionRepository implements ConversationSessionRepository {
  /** in least-recently-used-first order */
  private readonly sessions = new Map<string, { turns: ConversationTurn[]; usedAt: number }>();

  constructor(private readonly maxSessions = 10_000) {}

  get size(): number {
    return this.sessions.size;
  }

  async createSession(sessionId: string, at: Date): Promise<void> {
    this.use(sessionId, [], at);
  }

  async touchSession(sessionId: string, at: Date, usedSince: Date): Promise<boolean> {
    const session = this.sessions.get(sessionId);
    if (!session || session.usedAt < usedSince.getTime()) return false;
    this.use(sessionId, session.turns, at);
    return true;
  }

  async sessionTurns(sessionId: string): Promise<ConversationTurn[]> {
    return (this.sessions.get(sessionId)?.turns ?? []).map((turn) => ({ ...turn }));
  }

  async appendTurn(sessionId: string, turn: ConversationTurn, at: Date, maxTurns: number): Promise<void> {
    const turns = [...(this.sessions.get(sessionId)?.turns ?? []), { question: turn.question, answer: turn.answer }];
    this.use(sessionId, turns.slice(Math.max(0, turns.length - maxTurns)), at);
  }

  async deleteSessionsUsedBefore(cutoff: Date): Promise<number> {
    let deleted = 0;
    for (const [id, session] of this.sessions) {
      if (session.usedAt >= cutoff.getTime()) continue;
      this.sessions.delete(id);
      deleted++;
    }
    return deleted;
  }

  private use(sessionId: string, turns: ConversationTurn[], at: Date): void {
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, { turns, usedAt: at.getTime() });
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
  }
}
