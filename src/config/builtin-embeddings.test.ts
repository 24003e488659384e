import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinEmbeddingModelId, withBuiltinEmbeddings } from './builtin-embeddings.js';
import { catalogEntries, parseConfig } from './config.js';

function builtinEntry(yaml: string) {
  return catalogEntries(withBuiltinEmbeddings(parseConfig(yaml))).find((entry) => entry.id === builtinEmbeddingModelId);
}

describe('built-in embedding model', () => {
  it('is in the catalog of an empty configuration, with the Bedrock embedding aliases', () => {
    const entry = builtinEntry('');
    assert.deepEqual(entry, {
      id: 'outcrop.use-lite-v1',
      kind: 'embedding',
      name: 'Universal Sentence Encoder lite',
      providerName: 'Outcrop',
      provider: 'outcrop-builtin',
      upstreamModel: 'universal-sentence-encoder-lite',
      family: 'amazon-titan-embed-v2',
      inputModalities: ['TEXT'],
      outputModalities: ['EMBEDDING'],
      streaming: false,
      capabilities: { images: false, documents: false, tools: false, systemPrompt: false },
      aliases: ['amazon.titan-embed-text-v2:0', 'amazon.titan-embed-text-v1', 'cohere.embed-english-v3', 'cohere.embed-multilingual-v3'],
      dimensions: 512,
    });
    assert.deepEqual(withBuiltinEmbeddings(parseConfig('')).providers, { 'outcrop-builtin': { type: 'universal-sentence-encoder' } });
  });

  it('leaves IDs and aliases the configuration defines to the configuration', () => {
    const yaml = `
providers: { local: { type: openai-compatible, baseUrl: "http://127.0.0.1:1/v1" } }
models:
  - { id: cohere.embed-english-v3, kind: embedding, provider: local, dimensions: 1024, aliases: [amazon.titan-embed-text-v1] }`;
    assert.deepEqual(builtinEntry(yaml)?.aliases, ['amazon.titan-embed-text-v2:0', 'cohere.embed-multilingual-v3']);
    assert.equal(builtinEntry(`${yaml}\n  - { id: outcrop.use-lite-v1, kind: embedding, provider: local }`)?.provider, 'local');
  });

  it('is off with server.builtinEmbeddings: false', () => {
    const config = parseConfig('server: { builtinEmbeddings: false }');
    assert.equal(withBuiltinEmbeddings(config), config);
  });

  it('gives configured embedding models Titan v2 bodies and no streaming by default', () => {
    const [entry] = catalogEntries(parseConfig(`
providers: { local: { type: openai-compatible, baseUrl: "http://127.0.0.1:1/v1" } }
models: [{ id: nomic-embed-text, kind: embedding, provider: local, dimensions: 768 }]`));
    assert.equal(entry?.family, 'amazon-titan-embed-v2');
    assert.equal(entry?.streaming, false);
    assert.deepEqual(entry?.outputModalities, ['EMBEDDING']);
    assert.equal(entry?.dimensions, 768);
  });
});
