import { randomUUID } from 'node:crypto';
import { OutcropError } from '../../errors.js';

/** One question and the answer given to it. */
export interface ConversationTurn {
  question: string;
  answer: string;
}

export interface ConversationSessionsOptions {
  /** how long a session lives after its last turn (default 24 hours) */
  ttlMs?: number;
  /** most sessions kept; the least recently used go first (default 10,000) */
  maxSessions?: number;
  /** most turns kept per session, the oldest dropped first (default 20) */
  maxTurns?: number;
  now?: () => number;
}

/**
 * RetrieveAndGenerate's sessions, in memory: the turns of each conversation, so a follow-up question
 * is rewritten and answered with its history. A session expires `ttlMs` after its last use; a
 * restart forgets every session (a client then gets the ValidationException Bedrock gives for an
 * unknown session and starts a new one).
 *
 * @example
 * const sessions = new ConversationSessions();
 * const id = sessions.open(undefined); // a new session
 * sessions.append(id, { question: 'What is basalt?', answer: 'A volcanic rock.' });
 */
export class ConversationSessions {
  private readonly sessions = new Map<string, { turns: ConversationTurn[]; touchedAt: number }>();
  private readonly ttlMs: number;
  private readonly maxSessions: number;
  private readonly maxTurns: number;
  private readonly now: () => number;

  constructor(options: ConversationSessionsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
    this.maxSessions = options.maxSessions ?? 10_000;
    this.maxTurns = options.maxTurns ?? 20;
    this.now = options.now ?? Date.now;
  }

  /**
   * Opens the session a request names, or a new one when it names none. An unknown or expired
   * session is a ValidationException, as on Bedrock (clients cannot choose session IDs).
   */
  open(sessionId: string | undefined): string {
    this.expire();
    if (sessionId === undefined) {
      const id = randomUUID();
      this.sessions.set(id, { turns: [], touchedAt: this.now() });
      this.evict();
      return id;
    }
    const session = this.sessions.get(sessionId);
    if (!session) throw new OutcropError('ValidationException', `Session with Id ${sessionId} is not valid. Please check and try again.`);
    this.touch(sessionId, session);
    return sessionId;
  }

  /** The session's turns, oldest first (empty for an unknown session). */
  history(sessionId: string): readonly ConversationTurn[] {
    return this.sessions.get(sessionId)?.turns ?? [];
  }

  append(sessionId: string, turn: ConversationTurn): void {
    const session = this.sessions.get(sessionId) ?? { turns: [], touchedAt: this.now() };
    session.turns.push(turn);
    if (session.turns.length > this.maxTurns) session.turns.splice(0, session.turns.length - this.maxTurns);
    this.touch(sessionId, session);
    this.evict();
  }

  get size(): number {
    return this.sessions.size;
  }

  private touch(sessionId: string, session: { turns: ConversationTurn[]; touchedAt: number }): void {
    session.touchedAt = this.now();
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, session);
  }

  private expire(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [id, session] of this.sessions) {
      if (session.touchedAt > cutoff) break;
      this.sessions.delete(id);
    }
  }

  private evict(): void {
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
  }
}
