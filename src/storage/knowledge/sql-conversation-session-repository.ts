import type { Kysely } from 'kysely';
import type { ConversationSessionRepository, ConversationTurn } from '../../core/knowledge/generation/conversation-sessions-repository.js';
import { isUniqueViolation } from '../sql/migrate.js';

interface ConversationSessionTables {
  knowledge_sessions: { session_id: string; used_at: string | Date; version: number; turns: string };
}

/** How often a turn is retried when another writer changed the session meanwhile. */
const maxAttempts = 8;

/**
 * RetrieveAndGenerate's sessions over Kysely, the same queries for SQLite and PostgreSQL: one row per
 * session with its turns as JSON. A turn is appended optimistically (the row's `version` must not
 * have moved), so instances sharing one PostgreSQL never lose each other's turns.
 *
 * @example
 * const sessions = new ConversationSessions({ repository: new SqlConversationSessionRepository(database.db) });
 */
export class SqlConversationSessionRepository implements ConversationSessionRepository {
  private readonly db: Kysely<ConversationSessionTables>;

  constructor(db: Kysely<object>) {
    this.db = db as unknown as Kysely<ConversationSessionTables>;
  }

  async createSession(sessionId: string, at: Date): Promise<void> {
    await this.db.insertInto('knowledge_sessions').values({ session_id: sessionId, used_at: at.toISOString(), version: 0, turns: '[]' }).execute();
  }

  async touchSession(sessionId: string, at: Date, usedSince: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('knowledge_sessions')
      .set({ used_at: at.toISOString() })
      .where('session_id', '=', sessionId)
      .where('used_at', '>=', usedSince.toISOString())
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async sessionTurns(sessionId: string): Promise<ConversationTurn[]> {
    const row = await this.db.selectFrom('knowledge_sessions').select('turns').where('session_id', '=', sessionId).executeTakeFirst();
    return row ? decodeTurns(row.turns) : [];
  }

  async appendTurn(sessionId: string, turn: ConversationTurn, at: Date, maxTurns: number): Promise<void> {
    const added = { question: turn.question, answer: turn.answer };
    for (let attempt = 1; ; attempt++) {
      const row = await this.db.selectFrom('knowledge_sessions').select(['version', 'turns']).where('session_id', '=', sessionId).executeTakeFirst();
      const turns = [...(row ? decodeTurns(row.turns) : []), added];
      const kept = JSON.stringify(turns.slice(Math.max(0, turns.length - maxTurns)));
      try {
        if (!row) {
          await this.db.insertInto('knowledge_sessions').values({ session_id: sessionId, used_at: at.toISOString(), version: 0, turns: kept }).execute();
          return;
        }
        const result = await this.db
          .updateTable('knowledge_sessions')
          .set({ used_at: at.toISOString(), version: Number(row.version) + 1, turns: kept })
          .where('session_id', '=', sessionId)
          .where('version', '=', row.version)
          .executeTakeFirst();
        if (result.numUpdatedRows > 0n) return;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      if (attempt >= maxAttempts) throw new Error(`the turn could not be kept in session ${sessionId}: it changed ${maxAttempts} times while being written`);
    }
  }

  async deleteSessionsUsedBefore(cutoff: Date): Promise<number> {
    const result = await this.db.deleteFrom('knowledge_sessions').where('used_at', '<', cutoff.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function decodeTurns(text: string): ConversationTurn[] {
  const turns = JSON.parse(text) as unknown;
  return Array.isArray(turns) ? (turns as ConversationTurn[]) : [];
}
