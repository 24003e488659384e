import { resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { builtinEmbeddingModelId, withBuiltinEmbeddings } from '../config/builtin-embeddings.js';
import { type OutcropConfig, catalogEntries } from '../config/config.js';
import { dataSourceSettingsOf } from '../config/knowledge-schema.js';
import { GuardrailEngine } from '../core/guardrails/guardrail-engine.js';
import { Guardrails } from '../core/guardrails/registry/guardrails.js';
import { knowledgeLookupSearch } from '../core/agents/orchestration/knowledge-lookup-search.js';
import { agentExecutorsFromConfig } from './agent-executors-from-config.js';
import { agentRuntimeFromConfig } from './agent-runtime-from-config.js';
import { agentsFromConfig } from './agents-from-config.js';
import type { EmbeddingModel } from '../core/inference/embedding-model.js';
import { ConversationSessions } from '../core/knowledge/generation/conversation-sessions.js';
import { KnowledgeBases } from '../core/knowledge/registry/knowledge-bases.js';
import { ModelCatalog } from '../core/models/catalog.js';
import type { UsageRecord } from '../core/models/inference-profiles/inference-profile.js';
import { InferenceProfiles } from '../core/models/inference-profiles/inference-profiles.js';
import type { Provider } from '../core/models/provider.js';
import { createProvider } from '../providers/index.js';
import { handlers, openAIRoutes } from '../services/index.js';
import { FileCredentialStore } from '../storage/credentials/file/file-credential-store.js';
import { openAgentMemoryStore } from '../storage/agent-memory/open-agent-memory-store.js';
import { openGuardrailStore } from '../storage/guardrails/open-guardrail-store.js';
import { openInferenceProfileStore } from '../storage/inference-profiles/open-inference-profile-store.js';
import { openKnowledgeStores } from '../storage/knowledge/open-knowledge-stores.js';
import { openSqlDatabase } from '../storage/sql/open-sql-database.js';
import { createApp } from './app.js';
import { createGuardrailObserver } from './metrics/guardrail-observer.js';
import { createIngestionObserver } from './metrics/ingestion-observer.js';
import { createMetrics } from './metrics/metrics.js';
import { type BootstrapResult, bootstrapCredentials } from './bootstrap-credentials.js';
import { catalogOptions } from './catalog-options.js';
import { listen } from './listen.js';
import { RequestIntake } from './request-intake.js';

export interface StartOptions {
  config: OutcropConfig;
  noAuth?: boolean;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** told the token usage of each call made through an application inference profile (default: a log line) */
  onUsage?: (record: UsageRecord) => void;
}

export interface OutcropServer {
  url: string;
  port: number;
  credentials: BootstrapResult;
  /** graceful: stop accepting, let in-flight requests finish within the grace period, then end the rest */
  close(): Promise<void>;
}

/**
 * Starts Outcrop: providers and the model catalog from the configuration, the credential store in
 * the data directory, and the HTTP/1.1 + HTTP/2 listener.
 *
 * @example
 * const server = await startOutcrop({ config: parseConfig(text) });
 * console.log(server.url);
 */
export async function startOutcrop(options: StartOptions): Promise<OutcropServer> {
  const config = withBuiltinEmbeddings(options.config);
  const logger = options.logger ?? pino({ level: config.server.logLevel });
  // requests being received: a local model about to start a decode lets those on their way join it
  const intake = new RequestIntake();
  const providers = new Map<string, Provider>();
  for (const [name, providerConfig] of Object.entries(config.providers)) {
    providers.set(name, createProvider(name, providerConfig, { pendingRequests: () => intake.pending }));
  }
  const database = await openSqlDatabase({ ...config.storage, dataDir: resolve(config.server.dataDir) });
  const profileStore = await openInferenceProfileStore(database);
  let inferenceProfiles: InferenceProfiles | undefined;
  const profileLookup = { findApplicationProfile: (id: string) => inferenceProfiles?.findApplicationProfile(id) };
  const catalog = new ModelCatalog(catalogEntries(config), providers, catalogOptions(config, logger, profileLookup, options.onUsage));
  inferenceProfiles = new InferenceProfiles({ catalog, repository: profileStore, region: config.server.region, accountId: config.server.accountId });
  await inferenceProfiles.load();
  const metrics = createMetrics();
  const guardrailStore = await openGuardrailStore(database);
  const guardrails = new Guardrails({
    repository: guardrailStore,
    engine: new GuardrailEngine(guardrailEmbeddings(catalog)),
    region: config.server.region,
    accountId: config.server.accountId,
    observer: createGuardrailObserver({ metrics, logger, repository: guardrailStore, recordContent: config.guardrails.recordContent }),
  });
  await guardrails.load();
  const knowledgeStores = await openKnowledgeStores(database);
  const knowledgeBaseRegistry = new KnowledgeBases({
    ...knowledgeStores,
    catalog,
    region: config.server.region,
    accountId: config.server.accountId,
    settings: dataSourceSettingsOf(config.knowledge),
    ingestion: { concurrency: config.knowledge.ingestion.concurrency },
    observer: createIngestionObserver(metrics),
    onError: (error, context) => logger.warn({ err: error }, `knowledge bases: ${context} failed`),
  });
  await knowledgeBaseRegistry.start();
  const agentExecutors = agentExecutorsFromConfig(config);
  const listsFunctions = (lambdaArn: string) => agentExecutors.ports.actions?.listsFunctions?.(lambdaArn) ?? false;
  const agents = await agentsFromConfig({ config, database, catalog, guardrails, knowledgeBases: knowledgeBaseRegistry, listsFunctions });
  const agentMemory = await openAgentMemoryStore(database);
  const agentRuntime = agentRuntimeFromConfig({ config, catalog, guardrails, logger, memory: agentMemory, ports: { knowledge: knowledgeLookupSearch(knowledgeBaseRegistry), ...agentExecutors.ports } });
  catalog.startHealthChecks();
  const credentials = new FileCredentialStore(resolve(config.server.dataDir), options.env?.OUTCROP_MASTER_KEY ?? process.env.OUTCROP_MASTER_KEY);
  const bootstrap = bootstrapCredentials(credentials, options.env ?? process.env);
  const app = createApp({
    deps: {
      catalog,
      inferenceProfiles,
      guardrails,
      agents,
      agentRuntime,
      retrieveAndGenerateSessions: new ConversationSessions({ repository: knowledgeStores.sessions }),
      knowledgeBases: knowledgeBaseRegistry,
      region: config.server.region,
      accountId: config.server.accountId,
      logger,
    },
    handlers,
    openAIRoutes,
    credentials,
    noAuth: options.noAuth ?? false,
    maxBodyBytes: config.server.maxBodyBytes,
    logger,
    metrics,
    intake,
  });
  const server = await listen({
    port: config.server.port,
    host: config.server.host,
    ...(config.server.tls ? { tls: config.server.tls } : {}),
    handle: app.handle,
    intake,
  });
  let closing: Promise<void> | null = null;
  return {
    url: server.url,
    port: server.port,
    credentials: bootstrap,
    close() {
      closing ??= (async () => {
        app.inFlight.shuttingDown = true;
        server.stopAccepting();
        await app.inFlight.drain(config.server.shutdownGraceMs);
        if (app.inFlight.size > 0) {
          app.inFlight.abortAll();
          await app.inFlight.drain(1000);
        }
        await server.destroy();
        agentRuntime.close();
        await agentExecutors.close();
        await knowledgeBaseRegistry.close();
        await knowledgeStores.index.close?.();
        await catalog.close();
        await database.close();
      })();
      return closing;
    },
  };
}

/**
 * The embedding model guardrails use: the built-in one, whose space the shipped classifiers and
 * thresholds were fitted in; without it (`server.builtinEmbeddings: false`) guardrails run on their
 * static fast stage alone.
 */
function guardrailEmbeddings(catalog: ModelCatalog): { embeddingModel?: EmbeddingModel } {
  if (!catalog.find(builtinEmbeddingModelId)) return {};
  return { embeddingModel: catalog.resolveEmbedding(builtinEmbeddingModelId).model };
}
