import type { OutcropConfig } from '../config/config.js';
import { type CodeInterpreter, createCodeInterpreter } from '../core/agents/code-interpreter/code-interpreter.js';
import { createActionExecutors } from '../core/agents/executors/action-executors.js';
import { createOutboundHttp } from '../core/agents/executors/outbound-http.js';
import { executorActionInvoker } from '../core/agents/orchestration/executor-action-invoker.js';
import type { AgentPorts } from '../core/agents/orchestration/turn-context.js';

/**
 * The agent runtime's tool executors from `agents.functions`, `agents.outboundHttp` and
 * `agents.codeInterpreter`: action groups run on their configured executors, and the code
 * interpreter (when enabled) keeps its warm sandboxes, started in the background at the first run.
 *
 * @example
 * const executors = agentExecutorsFromConfig(config);
 * const runtime = agentRuntimeFromConfig({ ..., ports: { ...executors.ports } });
 */
export function agentExecutorsFromConfig(config: OutcropConfig): { ports: Pick<AgentPorts, 'actions' | 'code'>; close(): Promise<void> } {
  const { functions, outboundHttp, codeInterpreter } = config.agents;
  const executors = createActionExecutors({ functions, outboundHttp: createOutboundHttp(outboundHttp) });
  const interpreter: CodeInterpreter | undefined = codeInterpreter.enabled
    ? createCodeInterpreter({
        timeoutMs: codeInterpreter.timeoutMs,
        memoryMb: codeInterpreter.memoryMb,
        warmSandboxes: codeInterpreter.warmSandboxes,
        maxConcurrentRuns: codeInterpreter.maxConcurrentRuns,
      })
    : undefined;
  return {
    ports: { actions: executorActionInvoker((lambdaArn) => executors.get(lambdaArn)), ...(interpreter ? { code: interpreter } : {}) },
    async close() {
      await Promise.allSettled([executors.close(), interpreter?.close()]);
    },
  };
}
