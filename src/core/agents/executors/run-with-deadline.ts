import { ActionExecutionError } from './action-executor.js';

/**
 * Runs an operation under a timeout and the caller's abort signal, turning either into an
 * {@link ActionExecutionError} (`timeout`, `aborted`). The operation gets one signal that fires on
 * both.
 *
 * @example
 * const text = await runWithDeadline({ who: "Action group 'x'", what: url, timeoutMs: 5000 }, (signal) => send(signal));
 */
export async function runWithDeadline<T>(
  options: { who: string; what: string; timeoutMs: number; abortSignal?: AbortSignal },
  operation: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout;
  try {
    return await operation(signal);
  } catch (error) {
    if (options.abortSignal?.aborted) throw new ActionExecutionError('aborted', `${options.who}: the invocation was cancelled.`, { cause: error });
    if (timeout.aborted) throw new ActionExecutionError('timeout', `${options.who}: ${options.what} did not answer within ${options.timeoutMs} ms.`, { cause: error });
    if (ActionExecutionError.isInstance(error)) throw error;
    throw new ActionExecutionError('handler-error', `${options.who}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}

/** A response body as text, refusing one over `maxBytes`. */
export async function readLimitedText(response: Response, maxBytes: number, what: string): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      await response.body.cancel().catch(() => {});
      throw new ActionExecutionError('malformed-response', `${what} is over the ${maxBytes}-byte limit.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
