import { OutcropError } from '../../core/errors.js';
import { ConversationSessions } from '../../core/knowledge/generation/conversation-sessions.js';
import type { KnowledgeBaseLookup } from '../../core/knowledge/registry/knowledge-base-lookup.js';
import { knowledgeBaseIdOfArn } from '../../core/knowledge/registry/resource-ids.js';
import type { HandlerContext, ServiceDependencies } from '../handler.js';

/** The knowledge-base id a request names: the id itself, or the id inside a knowledge-base ARN. */
export function knowledgeBaseIdOf(identifier: string): string {
  return knowledgeBaseIdOfArn(identifier) ?? identifier;
}

/**
 * The knowledge bases retrieval reads. A server without them has none, so every id is unknown:
 * Bedrock's ResourceNotFoundException.
 */
export function knowledgeBasesOf(context: HandlerContext, knowledgeBaseId: string): KnowledgeBaseLookup {
  const knowledgeBases = context.deps.knowledgeBases;
  if (!knowledgeBases) throw new OutcropError('ResourceNotFoundException', `Knowledge base ${knowledgeBaseId} does not exist.`);
  return knowledgeBases;
}

const fallbackSessions = new WeakMap<ServiceDependencies, ConversationSessions>();

/**
 * RetrieveAndGenerate's sessions: the server's (in its knowledge store's database), or, where none
 * was injected, one in-memory set per dependency set.
 */
export function sessionsOf(context: HandlerContext): ConversationSessions {
  const injected = context.deps.retrieveAndGenerateSessions;
  if (injected) return injected;
  let sessions = fallbackSessions.get(context.deps);
  if (!sessions) {
    sessions = new ConversationSessions();
    fallbackSessions.set(context.deps, sessions);
  }
  return sessions;
}
