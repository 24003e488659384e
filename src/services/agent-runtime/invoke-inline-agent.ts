import type { InvokeInlineAgentRequest } from '../../protocol/generated/bedrock-agent-runtime-types.js';
import { OutcropError } from '../../core/errors.js';
import type { HandlerContext } from '../handler.js';
import { agentRuntimeOf } from './agent-runtime-of.js';
import { convertInlineAgent, inlineAliasId } from './convert-inline-agent.js';
import { convertSessionState } from './convert-session-state.js';
import { streamingOf } from './streaming-configurations.js';
import { toAgentResponseStream } from './to-agent-response-stream.js';

/** InvokeInlineAgent: the whole agent in the request, run by the same orchestration as stored agents. */
export async function invokeInlineAgent(input: InvokeInlineAgentRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const runtime = agentRuntimeOf(context, 'InvokeInlineAgent');
  if (input.customOrchestration || input.orchestrationType === 'CUSTOM_ORCHESTRATION') {
    throw new OutcropError('ValidationException', 'CUSTOM_ORCHESTRATION is not supported by this server; use DEFAULT orchestration.');
  }
  const definition = await convertInlineAgent(input, { listsFunctions: (lambdaArn) => runtime.listsFunctions(lambdaArn) });
  const sessionState = convertSessionState(input.inlineSessionState);
  const turns = input.promptCreationConfigurations?.previousConversationTurnsToInclude;
  const events = runtime.invoke({
    definition,
    agentAliasId: inlineAliasId,
    sessionId: input.sessionId,
    inputText: input.inputText ?? '',
    endSession: input.endSession ?? false,
    ...(sessionState ? { sessionState } : {}),
    ...(turns === undefined ? {} : { previousConversationTurnsToInclude: turns }),
    ...(input.streamingConfigurations ? { streamingConfigurations: streamingOf(input.streamingConfigurations) } : {}),
    signal: context.signal,
  });
  return {
    completion: toAgentResponseStream(events, { enableTrace: input.enableTrace ?? false, sessionId: input.sessionId }),
    contentType: 'application/json',
    sessionId: input.sessionId,
  };
}
