import type { Logger } from 'pino';
import type { OutcropConfig } from '../config/config.js';
import { AgentRuntime } from '../core/agents/orchestration/agent-runtime.js';
import type { AgentPorts } from '../core/agents/orchestration/turn-context.js';
import type { AgentMemoryStore } from '../core/agents/sessions/agent-memory-store.js';
import type { Guardrails } from '../core/guardrails/registry/guardrails.js';
import type { ModelCatalog } from '../core/models/catalog.js';

/**
 * The agent runtime the server runs InvokeAgent and InvokeInlineAgent with: models from the catalog,
 * the guardrails registry, the configured step limit and session sweep, the executors given, and
 * the memory store. Live sessions stay in process memory (see `InMemorySessionStore`).
 *
 * @example
 * const agentRuntime = agentRuntimeFromConfig({ config, catalog, guardrails, logger, ports: {} });
 */
export function agentRuntimeFromConfig(options: {
  config: OutcropConfig;
  catalog: ModelCatalog;
  guardrails: Guardrails;
  logger: Logger;
  ports: AgentPorts;
  /** SESSION_SUMMARY memory (the server's database); in process memory when absent */
  memory?: AgentMemoryStore;
}): AgentRuntime {
  const { config, catalog, logger } = options;
  return new AgentRuntime({
    resolveModel: (foundationModel) => catalog.resolve(foundationModel).model,
    guardrails: options.guardrails,
    ports: options.ports,
    ...(options.memory ? { memory: options.memory } : {}),
    maxSteps: config.agents.maxSteps,
    sweepIntervalMs: config.agents.sessionSweepIntervalMs,
    onBackgroundError: (error, what) => logger.warn({ err: error }, `agent ${what} failed`),
  });
}
