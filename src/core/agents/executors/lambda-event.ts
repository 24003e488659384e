import type { ActionInvocation, ActionParameter, ActionSessionContext } from './action-executor.js';

/** Bedrock's Lambda input event for an action group, exactly as Bedrock sends it to a function. */
export interface LambdaInputEvent {
  messageVersion: '1.0';
  agent: { name: string; id: string; alias: string; version: string };
  inputText: string;
  sessionId: string;
  actionGroup: string;
  apiPath?: string;
  httpMethod?: string;
  function?: string;
  parameters: ActionParameter[];
  requestBody?: { content: Record<string, { properties: ActionParameter[] }> };
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
}

/**
 * The event a Lambda function behind an action group receives: `apiPath`, `httpMethod`,
 * `parameters` and `requestBody` for an OpenAPI operation; `function` and `parameters` for a
 * function. An existing handler reads it unchanged.
 *
 * @example
 * const event = toLambdaInputEvent({ kind: 'function', actionGroup: 'weather', function: 'forecast', parameters: [] }, session);
 */
export function toLambdaInputEvent(invocation: ActionInvocation, session: ActionSessionContext): LambdaInputEvent {
  const common = {
    messageVersion: session.messageVersion,
    agent: { name: session.agent.name, id: session.agent.id, alias: session.agent.alias, version: session.agent.version },
    inputText: session.inputText,
    sessionId: session.sessionId,
    actionGroup: invocation.actionGroup,
  };
  const attributes = { sessionAttributes: session.sessionAttributes, promptSessionAttributes: session.promptSessionAttributes };
  if (invocation.kind === 'function') return { ...common, function: invocation.function, parameters: invocation.parameters, ...attributes };
  return {
    ...common,
    apiPath: invocation.apiPath,
    httpMethod: invocation.httpMethod,
    parameters: invocation.parameters,
    ...(invocation.requestBody ? { requestBody: invocation.requestBody } : {}),
    ...attributes,
  };
}
