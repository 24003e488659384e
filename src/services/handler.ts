import type { Logger } from 'pino';
import type { AgentRuntime } from '../core/agents/orchestration/agent-runtime.js';
import type { Agents } from '../core/agents/registry/agents.js';
import type { Guardrails } from '../core/guardrails/registry/guardrails.js';
import type { ConversationSessions } from '../core/knowledge/generation/conversation-sessions.js';
import type { KnowledgeBases } from '../core/knowledge/registry/knowledge-bases.js';
import type { ModelCatalog } from '../core/models/catalog.js';
import type { InferenceProfiles } from '../core/models/inference-profiles/inference-profiles.js';

/** What every handler may use; injected by the server, never global. */
export interface ServiceDependencies {
  catalog: ModelCatalog;
  inferenceProfiles: InferenceProfiles;
  /** guardrails and their versions; absent where the server runs without them */
  guardrails?: Guardrails;
  /** agents at build time (bedrock-agent): definitions, versions, aliases; `resolveAlias` for the runtime */
  agents?: Agents;
  /** runs agents (InvokeAgent, InvokeInlineAgent): sessions, memory, orchestration */
  agentRuntime?: AgentRuntime;
  /**
   * knowledge bases: the control plane (knowledge bases, data sources, ingestion jobs, direct
   * ingestion) and retrieval's lookup; absent where the server runs without them
   */
  knowledgeBases?: KnowledgeBases;
  /** RetrieveAndGenerate's conversation sessions (kept in the knowledge store's database) */
  retrieveAndGenerateSessions?: ConversationSessions;
  region: string;
  accountId: string;
  logger: Logger;
}

export interface HandlerContext {
  requestId: string;
  /** aborted when the client goes away or the server shuts down */
  signal: AbortSignal;
  deps: ServiceDependencies;
}

/**
 * A handler takes the validated input of one operation and returns its output. For operations whose
 * output is an event stream, the stream member is an `AsyncIterable` of union values
 * (`{ messageStart: {...} }`); a thrown `OutcropError` becomes a modeled exception frame.
 */
// biome-ignore lint/suspicious/noExplicitAny: inputs are typed per handler from the generated types
export type Handler = (input: any, context: HandlerContext) => Promise<Record<string, unknown>>;

/** Handlers keyed by `service:Operation`, e.g. `bedrock-runtime:Converse`. */
export type HandlerTable = Record<string, Handler>;
