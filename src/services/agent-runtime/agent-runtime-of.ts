import type { AgentRuntime } from '../../core/agents/orchestration/agent-runtime.js';
import { OutcropError } from '../../core/errors.js';
import type { HandlerContext } from '../handler.js';

/** The server's agent runtime, or a 501 naming the operation where it runs without one. */
export function agentRuntimeOf(context: HandlerContext, operation: string): AgentRuntime {
  const runtime = context.deps.agentRuntime;
  if (!runtime) throw new OutcropError('NotImplementedException', `${operation} is not available: this server runs without the agent runtime.`);
  return runtime;
}
