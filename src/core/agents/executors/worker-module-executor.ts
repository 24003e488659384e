import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ActionExecutionRequest, ActionExecutionResult, ActionExecutor } from './action-executor.js';
import { ActionExecutionError } from './action-executor.js';
import { toLambdaInputEvent } from './lambda-event.js';
import { parseLambdaResponse } from './lambda-response.js';

export interface WorkerModuleExecutorOptions {
  /** path of the module (relative paths from the working directory) or a file: URL */
  module: string;
  /** the exported handler's name (default `handler`) */
  exportName?: string;
  timeoutMs: number;
  /** the worker's V8 heap limit (default 128 MB) */
  memoryMb?: number;
  /** the `functionName` the Lambda context reports */
  functionName: string;
}

/** Runs in the worker: imports the module, calls the handler with the event and a Lambda-like context. */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { randomUUID } = require('node:crypto');
(async () => {
  const started = Date.now();
  const loaded = await import(workerData.moduleUrl);
  const handler = loaded[workerData.exportName] ?? loaded.default?.[workerData.exportName];
  if (typeof handler !== 'function') throw new Error(workerData.moduleUrl + ' exports no function named ' + workerData.exportName);
  const context = {
    functionName: workerData.functionName, functionVersion: '$LATEST', awsRequestId: randomUUID(), memoryLimitInMB: String(workerData.memoryMb),
    callbackWaitsForEmptyEventLoop: false, getRemainingTimeInMillis: () => Math.max(0, workerData.timeoutMs - (Date.now() - started)),
  };
  const result = await new Promise((resolve, reject) => {
    const callback = (error, value) => (error ? reject(error) : resolve(value));
    try {
      const returned = handler(workerData.event, context, callback);
      if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
      else if (handler.length < 3) resolve(returned);
    } catch (error) { reject(error); }
  });
  parentPort.postMessage({ ok: true, result: JSON.parse(JSON.stringify(result ?? null)) });
})().catch((error) => {
  parentPort.postMessage({ ok: false, errorType: (error && error.name) || 'Error', errorMessage: (error && error.message) || String(error) });
});
`;

/**
 * A Lambda handler from a Node module (`export async function handler(event, context)`; callback
 * style works too), run in a fresh worker thread per invocation with a heap limit and a timeout: a
 * handler that overruns is terminated, one that throws or runs out of memory fails the invocation,
 * and the server is never affected.
 *
 * @example
 * const executor = createWorkerModuleExecutor({ module: './handlers/orders.mjs', timeoutMs: 5000, functionName: 'orders' });
 */
export function createWorkerModuleExecutor(options: WorkerModuleExecutorOptions): ActionExecutor {
  const moduleUrl = options.module.startsWith('file:') ? options.module : pathToFileURL(isAbsolute(options.module) ? options.module : resolve(options.module)).href;
  const memoryMb = options.memoryMb ?? 128;
  const workers = new Set<Worker>();

  return {
    type: 'worker-module',
    async invoke(request: ActionExecutionRequest): Promise<ActionExecutionResult> {
      const who = `Action group '${request.invocation.actionGroup}'`;
      const timeoutMs = request.timeoutMs ?? options.timeoutMs;
      if (request.abortSignal?.aborted) throw new ActionExecutionError('aborted', `${who}: the invocation was cancelled.`);
      const event = toLambdaInputEvent(request.invocation, request.session);
      const worker = new Worker(workerSource, {
        eval: true,
        workerData: { moduleUrl, exportName: options.exportName ?? 'handler', event, functionName: options.functionName, timeoutMs, memoryMb },
        resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.max(4, Math.min(32, Math.floor(memoryMb / 8))) },
      });
      workers.add(worker);
      const outcome = await new Promise<{ ok: true; result: unknown } | { ok: false; error: ActionExecutionError }>((resolvePromise) => {
        const settle = (value: { ok: true; result: unknown } | { ok: false; error: ActionExecutionError }) => {
          clearTimeout(timer);
          request.abortSignal?.removeEventListener('abort', onAbort);
          resolvePromise(value);
          void worker.terminate();
        };
        const fail = (reason: ActionExecutionError['reason'], message: string, cause?: unknown) => settle({ ok: false, error: new ActionExecutionError(reason, `${who}: ${message}`, { cause }) });
        const timer = setTimeout(() => fail('timeout', `the handler in ${options.module} did not finish within ${timeoutMs} ms and was stopped.`), timeoutMs);
        const onAbort = () => fail('aborted', 'the invocation was cancelled.');
        request.abortSignal?.addEventListener('abort', onAbort, { once: true });
        worker.once('message', (message: { ok: boolean; result?: unknown; errorType?: string; errorMessage?: string }) => {
          if (message.ok) settle({ ok: true, result: message.result });
          else fail('handler-error', `the handler in ${options.module} failed: ${message.errorType}: ${message.errorMessage}`);
        });
        worker.once('error', (error: Error & { code?: string }) => {
          if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') fail('handler-error', `the handler in ${options.module} ran out of memory (limit ${memoryMb} MB) and was stopped.`, error);
          else fail('handler-error', `the handler in ${options.module} failed: ${error.name}: ${error.message}`, error);
        });
        worker.once('exit', (code) => fail('handler-error', `the handler in ${options.module} exited (code ${code}) without answering.`));
      });
      workers.delete(worker);
      if (!outcome.ok) throw outcome.error;
      return parseLambdaResponse(outcome.result, request.invocation, who);
    },
    async close() {
      await Promise.all([...workers].map((worker) => worker.terminate()));
      workers.clear();
    },
  };
}
