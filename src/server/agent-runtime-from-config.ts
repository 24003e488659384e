import type { Logger } from 'pino';
import type { OutcropConfig } from '../config/config.js';
import { AgentRuntime } from '../core/agents/orchestration/agent-runtime.js';
import type { AgentPorts } from '../core/agents/orchestration/turn-context.js';
import type { Guardrails } from '../core/guardrails/registry/guardrails.js';
import type { ModelCatalog } from '../core/models/catalog.js';

/**
 * The agent runtime the server runs InvokeAgent and InvokeInlineAgent with: models from the catalog,
 * the guardrails registry, the configured step limit and session sweep, and the executors given.
 *
 * @example
 * const agentRuntime = agentRuntimeFromConfig({ config, catalog, guardrails, logger, ports: {} });
 */
export function agentRuntimeFromConfig(options: { config: OutcropConfig; catalog: ModelCatalog; guardrails: Guardrails; logger: Logger; ports: AgentPorts }): AgentRuntime {
  const { config, catalog, logger } = options;
  return new AgentRuntime({
    resolveModel: (foundationModel) => catalog.resolve(foundationModel).model,
    guardrails: options.guardrails,
    ports: options.ports,
    maxSteps: config.agents.maxSteps,
    sweepIntervalMs: config.agents.sessionSweepIntervalMs,
    onBackgroundError: (error, what) => logger.warn({ err: error }, `agent ${what} failed`),
  });
}
