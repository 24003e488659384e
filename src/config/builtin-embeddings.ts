import type { OutcropConfig } from './config.js';

/** The ID of the embedding model every Outcrop serves unless told not to. */
export const builtinEmbeddingModelId = 'outcrop.use-lite-v1';

/** The provider instance name the built-in model runs under. */
export const builtinEmbeddingProvider = 'outcrop-builtin';

/** Bedrock embedding IDs the built-in model answers to, so Bedrock code runs with no configuration. */
export const builtinEmbeddingAliases = ['amazon.titan-embed-text-v2:0', 'amazon.titan-embed-text-v1', 'cohere.embed-english-v3', 'cohere.embed-multilingual-v3'];

/**
 * Adds the built-in embedding model (Universal Sentence Encoder lite, 512 dimensions, weights shipped
 * in npm, loaded on first use) to a configuration. The configuration wins: an ID or alias it already
 * defines is left to it, `outcrop.use-lite-v1` defined there replaces the built-in entry, and
 * `server.builtinEmbeddings: false` turns the built-in model off.
 *
 * @example
 * const catalog = new ModelCatalog(catalogEntries(withBuiltinEmbeddings(config)), providers);
 */
export function withBuiltinEmbeddings(config: OutcropConfig): OutcropConfig {
  if (!config.server.builtinEmbeddings) return config;
  const taken = new Set(config.models.flatMap((model) => [model.id, ...model.aliases]));
  if (taken.has(builtinEmbeddingModelId)) return config;
  const existing = config.providers[builtinEmbeddingProvider];
  if (existing && existing.type !== 'universal-sentence-encoder') return config;
  return {
    ...config,
    providers: { ...config.providers, [builtinEmbeddingProvider]: existing ?? { type: 'universal-sentence-encoder' } },
    models: [
      ...config.models,
      {
        id: builtinEmbeddingModelId,
        kind: 'embedding',
        provider: builtinEmbeddingProvider,
        upstreamModel: 'universal-sentence-encoder-lite',
        name: 'Universal Sentence Encoder lite',
        providerName: 'Outcrop',
        family: 'amazon-titan-embed-v2',
        aliases: builtinEmbeddingAliases.filter((alias) => !taken.has(alias)),
        dimensions: 512,
        inputModalities: ['TEXT'],
        outputModalities: ['EMBEDDING'],
        streaming: false,
        capabilities: { images: false, documents: false, tools: false, systemPrompt: false },
      },
    ],
  };
}
