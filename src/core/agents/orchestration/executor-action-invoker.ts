import type { FunctionDefinition } from '../agent-definition.js';
import type { ActionExecutor } from '../executors/action-executor.js';
import type { ActionInvoker, ActionRequest, ActionResponse } from './agent-ports.js';

/**
 * The orchestration's `ActionInvoker` over the executor contract: finds the executor configured for
 * the group's Lambda ARN and hands it Bedrock's invocation and session context.
 *
 * @example
 * const actions = executorActionInvoker((lambdaArn) => executors.get(lambdaArn));
 */
export function executorActionInvoker(executorFor: (lambdaArn: string) => ActionExecutor | undefined): ActionInvoker {
  return {
    listsFunctions(lambdaArn: string): boolean {
      return typeof executorFor(lambdaArn)?.listFunctions === 'function';
    },
    async listFunctions(lambdaArn: string, signal: AbortSignal): Promise<FunctionDefinition[]> {
      const executor = executorFor(lambdaArn);
      if (!executor?.listFunctions) throw new Error(`the executor of ${lambdaArn} does not list functions; give the action group an apiSchema or functionSchema.`);
      return executor.listFunctions({ abortSignal: signal });
    },
    async invoke(request: ActionRequest, signal: AbortSignal): Promise<ActionResponse> {
      const lambda = request.actionGroup.actionGroupExecutor?.lambda;
      const executor = lambda ? executorFor(lambda) : undefined;
      if (!executor) throw new Error(`no executor is configured for ${lambda ?? `action group ${request.actionGroup.actionGroupName}`}.`);
      const actionGroup = request.actionGroup.actionGroupName;
      const invocation =
        request.function !== undefined
          ? { kind: 'function' as const, actionGroup, function: request.function, parameters: request.parameters }
          : {
              kind: 'api' as const,
              actionGroup,
              apiPath: request.apiPath ?? '/',
              httpMethod: request.httpMethod ?? 'GET',
              parameters: request.parameters,
              ...(request.requestBody ? { requestBody: request.requestBody } : {}),
            };
      const result = await executor.invoke({
        invocation,
        session: {
          messageVersion: '1.0',
          sessionId: request.sessionId,
          inputText: request.inputText,
          agent: request.agent,
          sessionAttributes: request.sessionAttributes,
          promptSessionAttributes: request.promptSessionAttributes,
        },
        abortSignal: signal,
      });
      const text = Object.values(result.responseBody)
        .map((content) => content.body)
        .join('\n');
      return {
        text,
        ...(result.responseState ? { responseState: result.responseState } : {}),
        ...(result.httpStatusCode === undefined ? {} : { httpStatusCode: result.httpStatusCode }),
        ...(result.sessionAttributes ? { sessionAttributes: result.sessionAttributes } : {}),
        ...(result.promptSessionAttributes ? { promptSessionAttributes: result.promptSessionAttributes } : {}),
      };
    },
  };
}
