import type { AgentActionGroupDefinition } from '../agent-definition.js';
import { type ActionExecutor, ActionExecutionError } from './action-executor.js';
import { defaultActionTimeoutMs, type ExecutorOptions, type FunctionEndpoint, findFunctionEndpoint } from './executor-options.js';
import { createLambdaHttpExecutor } from './lambda-http-executor.js';
import { createMcpExecutor } from './mcp-executor.js';
import { createWorkerModuleExecutor } from './worker-module-executor.js';

/**
 * The executor of an action group, chosen by its `actionGroupExecutor`: a Lambda ARN runs on what
 * the operator configured for it (HTTP URL, Node module or MCP server). Returns undefined for groups
 * the orchestration handles itself: `RETURN_CONTROL`, `AMAZON.UserInput` and
 * `AMAZON.CodeInterpreter`. A Lambda ARN with nothing configured gets an executor whose every
 * invocation fails with `not-configured`, so the session reports it and goes on.
 *
 * @example
 * const executor = createActionExecutor(group, { functions: config.agents.functions, outboundHttp });
 * const result = await executor?.invoke({ invocation, session });
 */
export function createActionExecutor(group: AgentActionGroupDefinition, options: ExecutorOptions): ActionExecutor | undefined {
  const lambda = group.actionGroupExecutor?.lambda;
  if (!lambda || group.parentActionGroupSignature) return undefined;
  return createExecutorForFunction(lambda, options);
}

/** The executor for one Lambda ARN (see {@link createActionExecutor}). */
export function createExecutorForFunction(lambdaArn: string, options: ExecutorOptions): ActionExecutor {
  const endpoint = findFunctionEndpoint(options.functions, lambdaArn);
  if (!endpoint) return notConfigured(lambdaArn);
  return createExecutorForEndpoint(endpoint, lambdaArn, options);
}

/** The executor an endpoint configuration describes. */
export function createExecutorForEndpoint(endpoint: FunctionEndpoint, lambdaArn: string, options: ExecutorOptions): ActionExecutor {
  const timeoutMs = endpoint.timeoutMs ?? options.defaultTimeoutMs ?? defaultActionTimeoutMs;
  if ('url' in endpoint) return createLambdaHttpExecutor({ url: endpoint.url, timeoutMs, http: options.outboundHttp, ...(endpoint.headers ? { headers: endpoint.headers } : {}) });
  if ('module' in endpoint) {
    return createWorkerModuleExecutor({
      module: endpoint.module,
      timeoutMs,
      functionName: lambdaArn.split(':')[6] ?? lambdaArn,
      ...(endpoint.exportName ? { exportName: endpoint.exportName } : {}),
      ...(endpoint.memoryMb ? { memoryMb: endpoint.memoryMb } : {}),
    });
  }
  return createMcpExecutor({ server: endpoint.mcp, timeoutMs, http: options.outboundHttp });
}

function notConfigured(lambdaArn: string): ActionExecutor {
  return {
    type: 'not-configured',
    async invoke(request) {
      throw new ActionExecutionError(
        'not-configured',
        `Action group '${request.invocation.actionGroup}': no executor is configured for ${lambdaArn} (set agents.functions with its ARN or function name).`,
      );
    },
    async close() {},
  };
}
