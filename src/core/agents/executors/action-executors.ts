import type { ActionExecutor } from './action-executor.js';
import { createExecutorForEndpoint, createExecutorForFunction } from './create-action-executor.js';
import { type ExecutorOptions, findFunctionEndpoint } from './executor-options.js';

/** The executors of a server: one per configured function, shared by every agent and session. */
export interface ActionExecutors {
  /** the executor for a Lambda ARN (one that fails with `not-configured` when none is set) */
  get(lambdaArn: string): ActionExecutor;
  /** closes MCP connections and stops workers */
  close(): Promise<void>;
}

/**
 * Keeps one executor per configured function, made on first use, so an MCP server is started (or
 * connected to) once and serves every session.
 *
 * @example
 * const executors = createActionExecutors({ functions: config.agents.functions, outboundHttp: createOutboundHttp(config.agents.outboundHttp) });
 * const actions = executorActionInvoker((lambdaArn) => executors.get(lambdaArn));
 */
export function createActionExecutors(options: ExecutorOptions): ActionExecutors {
  const byEndpoint = new Map<object, ActionExecutor>();
  return {
    get(lambdaArn) {
      const endpoint = findFunctionEndpoint(options.functions, lambdaArn);
      if (!endpoint) return createExecutorForFunction(lambdaArn, options);
      let executor = byEndpoint.get(endpoint);
      if (!executor) {
        executor = createExecutorForEndpoint(endpoint, lambdaArn, options);
        byEndpoint.set(endpoint, executor);
      }
      return executor;
    },
    async close() {
      const executors = [...byEndpoint.values()];
      byEndpoint.clear();
      await Promise.allSettled(executors.map((executor) => executor.close()));
      await options.outboundHttp.close();
    },
  };
}
