import { OutcropError } from '../../errors.js';
import type { Part } from '../../inference/language-model.js';
import type { AgentEvent } from './agent-events.js';
import type { ToolBinding } from './agent-tools.js';
import { executeToolCall } from './execute-tool-call.js';
import { listOpenApiOperations } from './openapi-operations.js';
import { runCollaborator } from './orchestrate-turn.js';
import { applicationToolResult, matchApplicationResults } from './return-control.js';
import type { PendingCall, TurnContext, TurnState } from './turn-context.js';

type ToolResult = Extract<Part, { type: 'tool-result' }>;

/**
 * Resumes a turn that returned control: `returnControlInvocationResults` matched to the calls that
 * awaited them, checked (a call that asked for the user's confirmation needs `confirmationState`
 * CONFIRM or DENY), then turned into the tool results the model sees. A confirmed
 * `USER_CONFIRMATION` call is run now through its executor, traced like any action; a denied one
 * tells the model the user said no. Every check happens before the first event, so a bad request
 * fails before the stream starts.
 *
 * @example
 * const results = yield* resumeApplicationResults(session.pending, sessionState.returnControlInvocationResults, context, state);
 */
export async function* resumeApplicationResults(
  pending: { calls: PendingCall[] },
  results: Array<Record<string, unknown>>,
  context: TurnContext,
  state: TurnState,
): AsyncGenerator<AgentEvent, ToolResult[]> {
  const answers = matchApplicationResults(pending, results);
  for (const call of pending.calls) {
    const answer = answers.get(call);
    if (!answer || !call.actionInvocationType || call.actionInvocationType === 'RESULT') continue;
    if (answer.confirmationState !== 'CONFIRM' && answer.confirmationState !== 'DENY') {
      const what = call.function !== undefined ? `function ${call.function}` : `${call.httpMethod} ${call.apiPath}`;
      throw new OutcropError(
        'ValidationException',
        `The invocation of action group ${call.actionGroup} ${what} asked for the user's confirmation: its result needs confirmationState CONFIRM or DENY.`,
      );
    }
  }
  const out: ToolResult[] = [];
  for (const call of pending.calls) {
    const answer = answers.get(call);
    if (call.actionInvocationType === 'USER_CONFIRMATION' && answer?.confirmationState === 'CONFIRM') {
      out.push(yield* runConfirmed(call, context, state));
    } else {
      out.push(applicationToolResult(call, answer));
    }
  }
  return out;
}

async function* runConfirmed(call: PendingCall, context: TurnContext, state: TurnState): AsyncGenerator<AgentEvent, ToolResult> {
  const binding = bindingOf(call, context);
  if (!binding) {
    const what = call.function ?? `${call.httpMethod} ${call.apiPath}`;
    return { type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, content: [{ type: 'text', text: `The action ${what} of group ${call.actionGroup} is no longer defined.` }], isError: true };
  }
  const toolCall = { type: 'tool-call' as const, toolCallId: call.toolCallId, toolName: call.toolName, input: call.input ?? {} };
  return yield* executeToolCall(toolCall, binding, context, state, `${context.tracePrefix}-${Math.max(0, state.step - 1)}`, runCollaborator);
}

/** The tool binding a pending call was made through, found again in the agent's definition. */
function bindingOf(call: PendingCall, context: TurnContext): Extract<ToolBinding, { kind: 'function' | 'api' }> | undefined {
  const actionGroup = context.definition.actionGroups.find((group) => group.actionGroupName === call.actionGroup);
  if (!actionGroup) return undefined;
  if (call.function !== undefined) {
    const fn = actionGroup.functionSchema?.functions.find((candidate) => candidate.name === call.function);
    return fn ? { kind: 'function', actionGroup, function: fn } : undefined;
  }
  const operation = actionGroup.apiSchema
    ? listOpenApiOperations(actionGroup.apiSchema).find((candidate) => candidate.apiPath === call.apiPath && candidate.httpMethod === call.httpMethod?.toUpperCase())
    : undefined;
  return operation ? { kind: 'api', actionGroup, operation } : undefined;
}
