import { resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { builtinEmbeddingModelId, withBuiltinEmbeddings } from '../config/builtin-embeddings.js';
import { type OutcropConfig, catalogEntries } from '../config/config.js';
import { GuardrailEngine } from '../core/guardrails/guardrail-engine.js';
import { Guardrails } from '../core/guardrails/registry/guardrails.js';
import type { EmbeddingModel } from '../core/inference/embedding-model.js';
import { ModelCatalog } from '../core/models/catalog.js';
import type { UsageRecord } from '../core/models/inference-profiles/inference-profile.js';
import { InferenceProfiles } from '../core/models/inference-profiles/inference-profiles.js';
import type { Provider } from '../core/models/provider.js';
import { createProvider } from '../providers/index.js';
import { handlers, openAIRoutes } from '../services/index.js';
import { FileCredentialStore } from '../storage/credentials/file/file-credential-store.js';
import { openGuardrailStore } from '../storage/guardrails/open-guardrail-store.js';
import { openInferenceProfileStore } from '../storage/inference-profiles/open-inference-profile-store.js';
import { openSqlDatabase } from '../storage/sql/open-sql-database.js';
import { createApp } from './app.js';
import { type BootstrapResult, bootstrapCredentials } from './bootstrap-credentials.js';
import { catalogOptions } from './catalog-options.js';
import { listen } from './listen.js';

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
  const providers = new Map<string, Provider>();
  for (const [name, providerConfig] of Object.entries(config.providers)) providers.set(name, createProvider(name, providerConfig));
  const database = await openSqlDatabase({ ...config.storage, dataDir: resolve(config.server.dataDir) });
  const profileStore = await openInferenceProfileStore(database);
  let inferenceProfiles: InferenceProfiles | undefined;
  const profileLookup = { findApplicationProfile: (id: string) => inferenceProfiles?.findApplicationProfile(id) };
  const catalog = new ModelCatalog(catalogEntries(config), providers, catalogOptions(config, logger, profileLookup, options.onUsage));
  inferenceProfiles = new InferenceProfiles({ catalog, repository: profileStore, region: config.server.region, accountId: config.server.accountId });
  await inferenceProfiles.load();
  const guardrails = new Guardrails({
    repository: await openGuardrailStore(database),
    engine: new GuardrailEngine(guardrailEmbeddings(catalog)),
    region: config.server.region,
    accountId: config.server.accountId,
  });
  await guardrails.load();
  catalog.startHealthChecks();
  const credentials = new FileCredentialStore(resolve(config.server.dataDir), options.env?.OUTCROP_MASTER_KEY ?? process.env.OUTCROP_MASTER_KEY);
  const bootstrap = bootstrapCredentials(credentials, options.env ?? process.env);
  const app = createApp({
    deps: { catalog, inferenceProfiles, guardrails, region: config.server.region, accountId: config.server.accountId, logger },
    handlers,
    openAIRoutes,
    credentials,
    noAuth: options.noAuth ?? false,
    maxBodyBytes: config.server.maxBodyBytes,
    logger,
  });
  const server = await listen({
    port: config.server.port,
    host: config.server.host,
    ...(config.server.tls ? { tls: config.server.tls } : {}),
    handle: app.handle,
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
