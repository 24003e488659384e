import { OutcropError } from '../../errors.js';
import type { Part } from '../../inference/language-model.js';
import type { AgentReturnControlEvent } from './agent-events.js';
import type { PendingCall, TurnOutcome } from './turn-context.js';

type ToolResult = Extract<Part, { type: 'tool-result' }>;

/** The `returnControl` event for calls of RETURN_CONTROL action groups, in Bedrock's `InvocationInputMember` shapes. */
export function returnControlEvent(outcome: Extract<TurnOutcome, { kind: 'return-control' }>, agentId: string): AgentReturnControlEvent {
  return {
    type: 'return-control',
    invocationId: outcome.invocationId,
    invocationInputs: outcome.calls.map((call) =>
      call.function !== undefined
        ? { functionInvocationInput: { actionGroup: call.actionGroup, function: call.function, parameters: call.parameters, actionInvocationType: call.actionInvocationType ?? 'RESULT', agentId } }
        : {
            apiInvocationInput: {
              actionGroup: call.actionGroup,
              apiPath: call.apiPath,
              httpMethod: call.httpMethod,
              parameters: call.parameters,
              ...(call.requestBody ? { requestBody: call.requestBody } : {}),
              actionInvocationType: call.actionInvocationType ?? 'RESULT',
              agentId,
            },
          },
    ),
  };
}

/** One `functionResult` / `apiResult` of `returnControlInvocationResults`, as read. */
export interface ApplicationResult {
  actionGroup?: string;
  function?: string;
  apiPath?: string;
  httpMethod?: string;
  httpStatusCode?: number;
  responseBody?: Record<string, { body?: string }>;
  responseState?: string;
  confirmationState?: string;
}

/**
 * Matches `returnControlInvocationResults` to the calls that awaited them (by action group and
 * function, or API path and method, in order) and turns them into tool results for the model. A
 * result that answers no pending call is a ValidationException naming it; a call left unanswered
 * becomes an error result the model sees.
 *
 * @example
 * const results = toolResultsFromApplication(session.pending, sessionState.returnControlInvocationResults);
 */
export function toolResultsFromApplication(pending: { calls: PendingCall[] }, results: Array<Record<string, unknown>>): ToolResult[] {
  const answers = matchApplicationResults(pending, results);
  return pending.calls.map((call) => applicationToolResult(call, answers.get(call)));
}

/**
 * Pairs each `returnControlInvocationResults` entry with the pending call it answers (by action
 * group and function, or API path and method, in order). An entry that answers no pending call is
 * a ValidationException naming it.
 *
 * @example
 * const answers = matchApplicationResults(session.pending, sessionState.returnControlInvocationResults);
 */
export function matchApplicationResults(pending: { calls: PendingCall[] }, results: Array<Record<string, unknown>>): Map<PendingCall, ApplicationResult> {
  const answers = new Map<PendingCall, ApplicationResult>();
  for (const member of results) {
    const result = (member.functionResult ?? member.apiResult) as ApplicationResult | undefined;
    if (!result) throw new OutcropError('ValidationException', 'Each returnControlInvocationResults entry needs a functionResult or an apiResult.');
    const call = pending.calls.find(
      (candidate) =>
        !answers.has(candidate) &&
        candidate.actionGroup === result.actionGroup &&
        (member.functionResult ? candidate.function === result.function : candidate.apiPath === result.apiPath && candidate.httpMethod?.toUpperCase() === result.httpMethod?.toUpperCase()),
    );
    if (!call) {
      const what = member.functionResult ? `function ${result.function}` : `${result.httpMethod} ${result.apiPath}`;
      throw new OutcropError('ValidationException', `The result for action group ${result.actionGroup} ${what} does not answer any invocation awaiting results.`);
    }
    answers.set(call, result);
  }
  return answers;
}

/** The tool result the model sees for one call the application answered (or left unanswered). */
export function applicationToolResult(call: PendingCall, result: ApplicationResult | undefined): ToolResult {
  if (!result) return toolResult(call, `The application returned no result for ${call.function ?? `${call.httpMethod} ${call.apiPath}`}.`, true);
  if (result.confirmationState === 'DENY') return toolResult(call, userDeniedMessage, true);
  const body = Object.values(result.responseBody ?? {})
    .map((content) => content.body ?? '')
    .join('\n');
  const failed = result.responseState === 'FAILURE' || (result.httpStatusCode !== undefined && result.httpStatusCode >= 400);
  return toolResult(call, body || '(empty response)', failed);
}

/** What the model is told when the user denied a call that needed confirmation. */
export const userDeniedMessage = 'The user denied this action, so it was not run. Do not run it again unless the user asks.';

function toolResult(call: PendingCall, text: string, isError: boolean): ToolResult {
  return { type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, content: [{ type: 'text', text }], isError };
}
