import { OutcropError } from '../../core/errors.js';
import type { Agents } from '../../core/agents/registry/agents.js';
import type { HandlerContext } from '../handler.js';

/** The server's agent registry, or the error a server without one answers with. */
export function agentsOf(context: HandlerContext): Agents {
  const agents = context.deps.agents;
  if (!agents) throw new OutcropError('NotImplementedException', 'Agents are not enabled on this server.');
  return agents;
}

/** `{ key: value }` without the undefined members, for optional wire fields. */
export function defined<T extends Record<string, unknown>>(fields: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
