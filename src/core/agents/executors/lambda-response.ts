import { z } from 'zod';
import { type ActionExecutionResult, type ActionInvocation, ActionExecutionError } from './action-executor.js';

const responseBodySchema = z.record(z.string(), z.object({ body: z.string() }));
const attributesSchema = z.record(z.string(), z.string());

const lambdaResponseSchema = z.object({
  messageVersion: z.literal('1.0').nullish(),
  response: z.object({
    actionGroup: z.string().nullish(),
    apiPath: z.string().nullish(),
    httpMethod: z.string().nullish(),
    httpStatusCode: z.number().int().min(100).max(599).nullish(),
    responseBody: responseBodySchema.nullish(),
    function: z.string().nullish(),
    functionResponse: z
      .object({
        responseState: z.enum(['FAILURE', 'REPROMPT']).nullish(),
        responseBody: responseBodySchema.nullish(),
      })
      .nullish(),
  }),
  sessionAttributes: attributesSchema.nullish(),
  promptSessionAttributes: attributesSchema.nullish(),
  knowledgeBasesConfiguration: z.array(z.object({ knowledgeBaseId: z.string().min(1), retrievalConfiguration: z.record(z.string(), z.unknown()) })).nullish(),
});

/** Lambda's own error answer (`{ errorMessage, errorType }`), as a function that threw returns it. */
const lambdaErrorSchema = z.object({ errorMessage: z.string(), errorType: z.string().nullish() });

/**
 * Reads a handler's answer in Bedrock's Lambda response format: `response.responseBody` (with
 * `httpStatusCode`) for an OpenAPI operation, `response.functionResponse` for a function, plus the
 * optional session attributes and knowledge-base configurations. Anything else (including Lambda's
 * `{ errorMessage, errorType }`) is an {@link ActionExecutionError} naming the problem.
 *
 * @example
 * const result = parseLambdaResponse(JSON.parse(text), invocation, "Action group 'orders'");
 */
export function parseLambdaResponse(value: unknown, invocation: ActionInvocation, who: string): ActionExecutionResult {
  const failure = lambdaErrorSchema.safeParse(value);
  if (failure.success) {
    throw new ActionExecutionError('handler-error', `${who}: the handler failed: ${failure.data.errorType ? `${failure.data.errorType}: ` : ''}${failure.data.errorMessage}`);
  }
  const parsed = lambdaResponseSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? issue.path.join('.') : 'the response';
    throw new ActionExecutionError('malformed-response', `${who}: the handler's response is not Bedrock's Lambda response format: ${path}: ${issue?.message ?? 'invalid'}.`);
  }
  const { response } = parsed.data;
  const common = {
    ...(parsed.data.sessionAttributes ? { sessionAttributes: parsed.data.sessionAttributes } : {}),
    ...(parsed.data.promptSessionAttributes ? { promptSessionAttributes: parsed.data.promptSessionAttributes } : {}),
    ...(parsed.data.knowledgeBasesConfiguration ? { knowledgeBasesConfiguration: parsed.data.knowledgeBasesConfiguration } : {}),
  };
  if (invocation.kind === 'function') {
    const body = response.functionResponse?.responseBody;
    if (!body) throw new ActionExecutionError('malformed-response', `${who}: the handler's response has no response.functionResponse.responseBody.`);
    const state = response.functionResponse?.responseState;
    return { responseBody: body, ...(state ? { responseState: state } : {}), ...common };
  }
  if (!response.responseBody) throw new ActionExecutionError('malformed-response', `${who}: the handler's response has no response.responseBody.`);
  return { responseBody: response.responseBody, httpStatusCode: response.httpStatusCode ?? 200, ...common };
}
