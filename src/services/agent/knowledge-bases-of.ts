import { OutcropError } from '../../core/errors.js';
import type { KnowledgeBases } from '../../core/knowledge/registry/knowledge-bases.js';
import type { HandlerContext } from '../handler.js';

/** The server's knowledge-base registry, or the error a server without one answers with. */
export function knowledgeBasesOf(context: HandlerContext): KnowledgeBases {
  const registry = context.deps.knowledgeBases;
  if (!registry) throw new OutcropError('NotImplementedException', 'Knowledge bases are not enabled on this server.');
  return registry;
}

/** The members of an object that are not undefined, for optional wire fields. */
export function present<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
