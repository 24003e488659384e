import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
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
    })
    .prefault({}),
  providers: z.record(z.string(), providerSchema).default({}),
  models: z.array(modelSchema).default([]),
});

export type OutcropConfig = z.infer<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;

/** Replaces `${NAME}` and `${NAME:-default}` with environment values, so secrets stay out of the file. */
function interpolate(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined) return value;
    if (fallback !== undefined) return fallback;
    throw new Error(`configuration references \${${name}}, which is not set in the environment`);
  });
}

/** Parses and validates a configuration document (YAML). */
export function parseConfig(text: string, env: NodeJS.ProcessEnv = process.env): OutcropConfig {
  const raw = parse(interpolate(text, env)) ?? {};
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid configuration at '${issue?.path.join('.')}': ${issue?.message}`);
  }
  return result.data;
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): OutcropConfig {
  return parseConfig(readFileSync(path, 'utf8'), env);
}

/** Catalog entries from the configuration, with defaults filled in. */
export function catalogEntries(config: OutcropConfig): CatalogModel[] {
  return config.models.map((model) => ({
    id: model.id,
    kind: model.kind ?? (model.outputModalities?.includes('EMBEDDING') ? 'embedding' : 'text'),
    name: model.name ?? model.id,
    providerName: model.providerName ?? model.provider,
    provider: model.provider,
    upstreamModel: model.upstreamModel ?? model.id,
    family: model.family ?? familyOfId(model.id) ?? model.aliases.map(familyOfId).find(Boolean) ?? 'anthropic',
    inputModalities: model.inputModalities ?? (model.capabilities.images ? ['TEXT', 'IMAGE'] : ['TEXT']),
    outputModalities: model.outputModalities ?? (model.kind === 'embedding' ? ['EMBEDDING'] : ['TEXT']),
    streaming: model.streaming,
    capabilities: model.capabilities,
    aliases: model.aliases,
  }));
}
