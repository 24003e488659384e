import type { AgentDefinition } from '../../core/agents/agent-definition.js';
import { OutcropError } from '../../core/errors.js';
import type { InvokeAgentRequest } from '../../protocol/generated/bedrock-agent-runtime-types.js';
import type { HandlerContext } from '../handler.js';
import { agentRuntimeOf } from './agent-runtime-of.js';
import { convertSessionState } from './convert-session-state.js';
import { streamingOf } from './streaming-configurations.js';
import { toAgentResponseStream } from './to-agent-response-stream.js';

/** InvokeAgent: the definition an alias routes to (as PrepareAgent snapshotted it), run in a session. */
export async function invokeAgent(input: InvokeAgentRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const runtime = agentRuntimeOf(context, 'InvokeAgent');
  const definition = await resolveAlias(context, input.agentId, input.agentAliasId);
  const sessionState = convertSessionState(input.sessionState);
  const turns = input.promptCreationConfigurations?.previousConversationTurnsToInclude;
  const { region, accountId } = context.deps;
  const events = runtime.invoke({
    definition,
    agentAliasId: input.agentAliasId,
    agentAliasArn: `arn:aws:bedrock:${region}:${accountId}:agent-alias/${input.agentId}/${input.agentAliasId}`,
    sessionId: input.sessionId,
    inputText: input.inputText ?? '',
    endSession: input.endSession ?? false,
    ...(input.memoryId ? { memoryId: input.memoryId } : {}),
    ...(sessionState ? { sessionState } : {}),
    ...(turns === undefined ? {} : { previousConversationTurnsToInclude: turns }),
    ...(input.streamingConfigurations ? { streamingConfigurations: streamingOf(input.streamingConfigurations) } : {}),
    signal: context.signal,
  });
  return {
    completion: toAgentResponseStream(events, { enableTrace: input.enableTrace ?? false, sessionId: input.sessionId, agentAliasId: input.agentAliasId }),
    contentType: 'application/json',
    sessionId: input.sessionId,
    ...(input.memoryId ? { memoryId: input.memoryId } : {}),
  };
}

/** The prepared definition behind an alias (the agent control plane), or a 404 naming what is missing. */
export async function resolveAlias(context: HandlerContext, agentId: string, agentAliasId: string): Promise<AgentDefinition> {
  const agents = context.deps.agents;
  if (!agents) throw new OutcropError('ResourceNotFoundException', `The agent ${agentId} was not found: this server runs without the agent control plane.`);
  return agents.resolveAlias(agentId, agentAliasId);
}
