/** One question and the answer given to it. */
export interface ConversationTurn {
  question: string;
  answer: string;
}

/**
 * Where RetrieveAndGenerate's sessions are kept: a session's turns (oldest first) and when it was
 * last used. The SQL knowledge stores keep them in the database, so a session outlives a restart
 * and is shared by every instance on one PostgreSQL; `InMemoryConversationSessionRepository` is the
 * fallback where no store exists.
 *
 * @example
 * await repository.createSession(id, new Date());
 * await repository.appendTurn(id, { question: 'What is basalt?', answer: 'A volcanic rock.' }, new Date(), 20);
 */
export interface ConversationSessionRepository {
  /** Creates an empty session, last used at `at`. */
  createSession(sessionId: string, at: Date): Promise<void>;
  /**
   * Marks the session used at `at` when it exists and was last used at or after `usedSince`, and says
   * whether it did; a session idle since before `usedSince` is left as it is (expired).
   */
  touchSession(sessionId: string, at: Date, usedSince: Date): Promise<boolean>;
  /** The session's turns, oldest first (empty for an unknown session). */
  sessionTurns(sessionId: string): Promise<ConversationTurn[]>;
  /**
   * Adds a turn, keeps only the newest `maxTurns`, and marks the session used at `at` (creating it
   * when it has gone meanwhile).
   */
  appendTurn(sessionId: string, turn: ConversationTurn, at: Date, maxTurns: number): Promise<void>;
  /** Deletes every session last used before `cutoff`; returns how many went. */
  deleteSessionsUsedBefore(cutoff: Date): Promise<number>;
}
