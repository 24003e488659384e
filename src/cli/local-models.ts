import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { OutcropConfig } from '../config/config.js';
import { readGgufMetadata } from '../providers/llama-cpp/read-gguf-metadata.js';

/** A GGUF model pulled into the data directory (`<dataDir>/models.json`). */
export interface LocalModel {
  /** the catalog ID clients call */
  id: string;
  /** absolute path of the GGUF file */
  path: string;
  /** the GGUF's `general.name` */
  name: string;
  kind: 'text' | 'embedding';
  bytes: number;
  /** `owner/repo/file.gguf` as pulled */
  source?: string;
  url?: string;
  sha256?: string;
  pulledAt?: string;
}

interface Registry {
  models: LocalModel[];
}

const registryFile = (dataDir: string) => join(dataDir, 'models.json');

/** The models pulled into a data directory. */
export function readModelRegistry(dataDir: string): LocalModel[] {
  const file = registryFile(dataDir);
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Registry>;
  return Array.isArray(parsed.models) ? parsed.models : [];
}

/** Replaces the registry atomically (a temporary file, then a rename). */
export function writeModelRegistry(dataDir: string, models: LocalModel[]): void {
  mkdirSync(dataDir, { recursive: true });
  const file = registryFile(dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ models } satisfies Registry, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** A catalog ID from a GGUF file name: `SmolLM2-135M-Instruct-Q8_0.gguf` -> `smollm2-135m-instruct-q8-0`. */
export function modelIdFromFile(path: string): string {
  const id = basename(path)
    .replace(/\.gguf$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return id || 'model';
}

/** Encoder architectures llama.cpp runs as embedding models. */
const embeddingArchitectures = new Set(['bert', 'nomic-bert', 'nomic-bert-moe', 'jina-bert-v2', 'jina-bert-v3', 'modern-bert', 'neo-bert', 'eurobert', 'gemma-embedding', 't5encoder']);

/** What a GGUF file says about itself: its display name and whether it embeds or chats. */
export function describeGguf(path: string): { name: string; kind: 'text' | 'embedding'; architecture: string } {
  const metadata = readGgufMetadata(path);
  const architecture = String(metadata.get('general.architecture') ?? 'unknown');
  const name = metadata.get('general.name');
  const pooled = metadata.has(`${architecture}.pooling_type`) && !metadata.has('tokenizer.chat_template');
  return {
    name: typeof name === 'string' && name ? name : basename(path),
    kind: embeddingArchitectures.has(architecture) || pooled ? 'embedding' : 'text',
    architecture,
  };
}

/**
 * Adds GGUF models to a configuration: the models pulled into the data directory and the files given
 * with `serve --model`. They run on the configuration's first llama-cpp provider, or on a `gguf`
 * provider added with defaults. Text models get the Anthropic body family (Converse works for any);
 * IDs already configured are left to the configuration.
 *
 * @example
 * const config = withLocalModels(loadConfigFile('outcrop.yaml'), ['./SmolLM2-135M-Instruct-Q8_0.gguf']);
 */
export function withLocalModels(config: OutcropConfig, files: string[] = []): OutcropConfig {
  const pulled = readModelRegistry(resolve(config.server.dataDir));
  const given: LocalModel[] = files.map((file) => {
    const path = resolve(file);
    if (!existsSync(path)) throw new Error(`--model ${file}: no such file`);
    const { name, kind } = describeGguf(path);
    return { id: modelIdFromFile(path), path, name, kind, bytes: 0 };
  });
  const candidates = [...given, ...pulled];
  if (candidates.length === 0) return config;
  const existing = Object.entries(config.providers).find(([, provider]) => provider.type === 'llama-cpp')?.[0];
  const provider = existing ?? (config.providers.gguf ? 'outcrop-gguf' : 'gguf');
  const taken = new Set(config.models.flatMap((model) => [model.id, ...model.aliases]));
  const models = [...config.models];
  for (const model of candidates) {
    if (taken.has(model.id)) continue;
    taken.add(model.id);
    models.push({
      id: model.id,
      kind: model.kind,
      provider,
      upstreamModel: model.path,
      name: model.name,
      providerName: 'GGUF',
      ...(model.kind === 'text' ? { family: 'anthropic' } : {}),
      aliases: [],
      streaming: model.kind === 'text',
      capabilities: { images: false, documents: false, tools: model.kind === 'text', systemPrompt: true },
    });
  }
  return { ...config, providers: existing ? config.providers : { ...config.providers, [provider]: { type: 'llama-cpp' } }, models };
}
