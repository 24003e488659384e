import type { Message } from '../../inference/language-model.js';
import type { PendingCall, TurnState } from '../orchestration/turn-context.js';
import type { SummarizationPrompt } from './summarize-session.js';

/** A return of control awaiting the application's results. */
export interface PendingReturnControl {
  invocationId: string;
  state: TurnState;
  calls: PendingCall[];
  /** results of the calls of the same step that Outcrop ran itself */
  completed: Message['content'];
  promptSessionAttributes: Record<string, string>;
}

/**
 * One conversation with an agent alias, kept until it ends (`endSession`) or stays idle past the
 * agent's `idleSessionTTLInSeconds`.
 */
export interface AgentSession {
  agentId: string;
  agentAliasId: string;
  sessionId: string;
  /** the memory the session is summarized into when it ends, when memory is enabled */
  memoryId?: string;
  startedAt: Date;
  lastActiveAt: Date;
  idleSessionTTLInSeconds: number;
  sessionAttributes: Record<string, string>;
  /** earlier turns, text only: the user's input and the agent's answer */
  history: Message[];
  pending?: PendingReturnControl;
  /** what summarizing the session needs once it ends */
  memory?: {
    foundationModel: string;
    storageDays: number;
    /** the agent's MEMORY_SUMMARIZATION prompt configuration, when it has one: template and inference settings */
    summarization?: SummarizationPrompt;
  };
}

/** Sessions are keyed by agent, alias and session id (inline agents share one agent id). */
export function sessionKey(agentId: string, agentAliasId: string, sessionId: string): string {
  return `${agentId}\u0000${agentAliasId}\u0000${sessionId}`;
}

/** Where sessions live between calls. */
export interface AgentSessionStore {
  /** the live session, or undefined when there is none or it has expired */
  get(key: string, now: Date): AgentSession | undefined;
  put(session: AgentSession): void;
  /** removes a session and returns it */
  delete(key: string): AgentSession | undefined;
  /** removes and returns the sessions idle past their TTL */
  takeExpired(now: Date): AgentSession[];
  size(): number;
}

/** Whether a session has been idle past its TTL. */
export function isExpired(session: AgentSession, now: Date): boolean {
  return now.getTime() - session.lastActiveAt.getTime() > session.idleSessionTTLInSeconds * 1000;
}
