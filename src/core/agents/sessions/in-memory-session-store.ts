import { type AgentSession, type AgentSessionStore, isExpired, sessionKey } from './agent-session.js';

/**
 * Sessions in process memory. A session is working state (history, attributes, a pending return of
 * control) that lives at most the agent's idle TTL (90 minutes at most), so it is kept where it is
 * fastest; the agent runtime sweeps expired ones and summarizes them into memory, which is what
 * outlives a restart. Several Outcrop instances behind one balancer need sticky sessions.
 *
 * @example
 * const sessions = new InMemorySessionStore();
 * sessions.put(session);
 */
export class InMemorySessionStore implements AgentSessionStore {
  private readonly sessions = new Map<string, AgentSession>();

  get(key: string, now: Date): AgentSession | undefined {
    const session = this.sessions.get(key);
    if (!session || isExpired(session, now)) return undefined;
    return session;
  }

  put(session: AgentSession): void {
    this.sessions.set(sessionKey(session.agentId, session.agentAliasId, session.sessionId), session);
  }

  delete(key: string): AgentSession | undefined {
    const session = this.sessions.get(key);
    this.sessions.delete(key);
    return session;
  }

  takeExpired(now: Date): AgentSession[] {
    const expired: AgentSession[] = [];
    for (const [key, session] of this.sessions) {
      if (!isExpired(session, now)) continue;
      this.sessions.delete(key);
      expired.push(session);
    }
    return expired;
  }

  size(): number {
    return this.sessions.size;
  }
}
