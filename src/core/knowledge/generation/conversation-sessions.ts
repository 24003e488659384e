import { randomUUID } from 'node:crypto';
import { OutcropError } from '../../errors.js';
import { InMemoryConversationSessionRepository } from './conversation-sessions-in-memory.js';
import type { ConversationSessionRepository, ConversationTurn } from './conversation-sessions-repository.js';

export type { ConversationSessionRepository, ConversationTurn } from './conversation-sessions-repository.js';

export interface ConversationSessionsOptions {
  /** where sessions are kept (default: in memory, lost on restart) */
  repository?: ConversationSessionRepository;
  /** how long a session lives after its last use (default 24 hours) */
  ttlMs?: number;
  /** most turns kept per session, the oldest dropped first (default 20) */
  maxTurns?: number;
  /** how often, at most, expired sessions are deleted (default once a minute) */
  sweepEveryMs?: number;
  now?: () => number;
}

/**
 * RetrieveAndGenerate's sessions: the turns of each conversation, so a follow-up question is
 * rewritten and answered with its history. A session expires `ttlMs` after its last use; expired
 * sessions are refused at once and deleted lazily (at most once per `sweepEveryMs`, when a session
 * is opened). Kept in the repository given: the knowledge store's database, so sessions outlive a
 * restart and are shared across instances, or memory where there is no store.
 *
 * @example
 * const sessions = new ConversationSessions({ repository: knowledgeStores.sessions });
 * const id = await sessions.open(undefined); // a new session
 * await sessions.append(id, { question: 'What is basalt?', answer: 'A volcanic rock.' });
 */
export class ConversationSessions {
  private readonly repository: ConversationSessionRepository;
  private readonly ttlMs: number;
  private readonly maxTurns: number;
  private readonly sweepEveryMs: number;
  private readonly now: () => number;
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(options: ConversationSessionsOptions = {}) {
    this.repository = options.repository ?? new InMemoryConversationSessionRepository();
    this.ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
    this.maxTurns = options.maxTurns ?? 20;
    this.sweepEveryMs = options.sweepEveryMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Opens the session a request names, or a new one when it names none. An unknown or expired
   * session is a ValidationException, as on Bedrock (clients cannot choose session IDs).
   */
  async open(sessionId: string | undefined): Promise<string> {
    const now = this.now();
    await this.sweep(now);
    if (sessionId === undefined) {
      const id = randomUUID();
      await this.repository.createSession(id, new Date(now));
      return id;
    }
    const live = await this.repository.touchSession(sessionId, new Date(now), new Date(now - this.ttlMs));
    if (!live) throw new OutcropError('ValidationException', `Session with Id ${sessionId} is not valid. Please check and try again.`);
    return sessionId;
  }

  /** The session's turns, oldest first (empty for an unknown session). */
  history(sessionId: string): Promise<ConversationTurn[]> {
    return this.repository.sessionTurns(sessionId);
  }

  /** Keeps a turn in the session (the newest `maxTurns` are kept) and marks it used. */
  append(sessionId: string, turn: ConversationTurn): Promise<void> {
    return this.repository.appendTurn(sessionId, turn, new Date(this.now()), this.maxTurns);
  }

  private async sweep(now: number): Promise<void> {
    if (now - this.sweptAt < this.sweepEveryMs) return;
    this.sweptAt = now;
    await this.repository.deleteSessionsUsedBefore(new Date(now - this.ttlMs));
  }
}
