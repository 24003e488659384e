import type { ActionExecutionRequest, ActionExecutionResult, ActionExecutor } from './action-executor.js';
import { ActionExecutionError } from './action-executor.js';
import { toLambdaInputEvent } from './lambda-event.js';
import { parseLambdaResponse } from './lambda-response.js';
import { type OutboundHttp, OutboundRefusedError } from './outbound-http.js';
import { readLimitedText, runWithDeadline } from './run-with-deadline.js';

/** Lambda's synchronous response payload limit. */
const maxResponseBytes = 6 * 1024 * 1024;

export interface LambdaHttpExecutorOptions {
  url: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  http: OutboundHttp;
}

/**
 * A Lambda function served over HTTP: each invocation POSTs exactly Bedrock's Lambda input event as
 * JSON to the configured URL and reads Bedrock's Lambda response format back, so an existing
 * handler runs unchanged behind a small web service. The request obeys the outbound policy.
 *
 * @example
 * const executor = createLambdaHttpExecutor({ url: 'http://orders.internal/invoke', timeoutMs: 10_000, http });
 */
export function createLambdaHttpExecutor(options: LambdaHttpExecutorOptions): ActionExecutor {
  return {
    type: 'lambda-http',
    async invoke(request: ActionExecutionRequest): Promise<ActionExecutionResult> {
      const who = `Action group '${request.invocation.actionGroup}'`;
      const timeoutMs = request.timeoutMs ?? options.timeoutMs;
      const event = toLambdaInputEvent(request.invocation, request.session);
      const text = await runWithDeadline({ who, what: options.url, timeoutMs, ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}) }, async (signal) => {
        let response: Response;
        try {
          response = await options.http.fetch(options.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
            body: JSON.stringify(event),
            signal,
          });
        } catch (error) {
          if (signal.aborted) throw error;
          if (OutboundRefusedError.isInstance(error)) throw new ActionExecutionError('refused-address', `${who}: ${error.message}`, { cause: error });
          throw new ActionExecutionError('unreachable', `${who}: ${options.url} could not be reached: ${describe(error)}.`, { cause: error });
        }
        const body = await readLimitedText(response, maxResponseBytes, `${who}: the response of ${options.url}`);
        if (!response.ok) {
          throw new ActionExecutionError('handler-error', `${who}: ${options.url} answered HTTP ${response.status}${body.trim() ? `: ${body.trim().slice(0, 300)}` : ''}.`);
        }
        return body;
      });
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new ActionExecutionError('malformed-response', `${who}: the response of ${options.url} is not JSON: ${(error as Error).message}.`, { cause: error });
      }
      return parseLambdaResponse(value, request.invocation, who);
    },
    async close() {},
  };
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  const message = cause?.message ?? (error as Error).message;
  const code = cause?.code;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
