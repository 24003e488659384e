import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { catalogEntries, parseConfig } from '../config/config.js';
import { OutcropError } from '../core/errors.js';
import { ModelCatalog } from '../core/models/catalog.js';
import type { Provider } from '../core/models/provider.js';
import { createProvider } from './index.js';

const yaml = `
providers:
  openai: { type: openai, apiKey: \${OPENAI_API_KEY}, organization: org-outcrop }
  openai-responses: { type: openai, api: responses, baseUrl: "http://127.0.0.1:9/v1" }
  mistral: { type: mistral, timeoutMs: 5000 }
  cohere: { type: cohere, apiKey: \${CO_API_KEY:-}, connections: 4 }
models:
  - { id: gpt-4.1, provider: openai, aliases: [openai.gpt-oss-120b-1:0] }
  - { id: gpt-4.1-responses, provider: openai-responses, upstreamModel: gpt-4.1 }
  - { id: mistral-large, provider: mistral, upstreamModel: mistral-large-latest }
  - { id: command-r-plus, provider: cohere, upstreamModel: command-r-plus-08-2024 }
  - { id: cohere.embed-english-v3, kind: embedding, provider: cohere, upstreamModel: embed-english-v3.0, dimensions: 1024 }
  - { id: cohere.rerank-v3-5:0, kind: rerank, provider: cohere, upstreamModel: rerank-v3.5 }
  - { id: my-reranker, kind: rerank, provider: cohere, upstreamModel: rerank-english-v3.0 }
`;

const catalogs: ModelCatalog[] = [];

function catalog(): ModelCatalog {
  const config = parseConfig(yaml, { OPENAI_API_KEY: 'sk-configured' });
  const providers = new Map<string, Provider>(Object.entries(config.providers).map(([name, entry]) => [name, createProvider(name, entry)]));
  const created = new ModelCatalog(catalogEntries(config), providers);
  catalogs.push(created);
  return created;
}

after(async () => {
  await Promise.all(catalogs.map((created) => created.close()));
});

describe('hosted providers in the configuration', () => {
  it('builds each provider type and its models', () => {
    const models = catalog();
    assert.equal(models.resolve('gpt-4.1').model.provider, 'openai');
    assert.equal(models.resolve('gpt-4.1-responses').model.modelId, 'gpt-4.1');
    assert.equal(models.resolve('gpt-4.1-responses').model.constructor.name, 'OpenAIResponsesModel');
    assert.equal(models.resolve('gpt-4.1').model.constructor.name, 'OpenAICompatibleChatModel');
    assert.equal(models.resolve('mistral-large').model.modelId, 'mistral-large-latest');
    assert.equal(models.resolve('command-r-plus').model.constructor.name, 'CohereChatModel');
    const embedder = models.resolveEmbedding('cohere.embed-english-v3').model;
    assert.equal(embedder.dimensions, 1024);
    assert.equal(embedder.maxBatchSize, 96);
  });

  it('rejects an unknown api and an invalid baseUrl', () => {
    assert.throws(() => parseConfig('providers:\n  o: { type: openai, api: completions }\n'), /providers\.o\.api/);
    assert.throws(() => parseConfig('providers:\n  c: { type: cohere, baseUrl: not-a-url }\n'), /providers\.c\.baseUrl/);
  });
});

describe('reranking models in the catalog', () => {
  it('defaults kind rerank to no streaming, TEXT modalities and the cohere-rerank family', () => {
    const config = parseConfig(yaml, { OPENAI_API_KEY: 'sk' });
    const entry = catalogEntries(config).find((model) => model.id === 'my-reranker');
    assert.equal(entry?.kind, 'rerank');
    assert.equal(entry?.streaming, false);
    assert.deepEqual(entry?.outputModalities, ['TEXT']);
    assert.equal(entry?.family, 'cohere-rerank');
  });

  it('resolves a reranking model by ID, ARN or profile, once', () => {
    const models = catalog();
    const resolved = models.resolveReranking('cohere.rerank-v3-5:0');
    assert.equal(resolved.model.modelId, 'rerank-v3.5');
    assert.equal(resolved.family, 'cohere-rerank');
    assert.equal(models.resolveReranking('arn:aws:bedrock:us-west-2::foundation-model/cohere.rerank-v3-5:0').model, resolved.model);
  });

  it('refuses to use a reranking model as another kind, and another kind as a reranker', () => {
    const models = catalog();
    const refuse = (run: () => unknown, message: RegExp) =>
      assert.throws(run, (error: unknown) => OutcropError.isInstance(error) && error.code === 'ValidationException' && message.test(error.message));
    refuse(() => models.resolve('my-reranker'), /is a reranking model; it does not support this operation/);
    refuse(() => models.resolveEmbedding('my-reranker'), /is not an embedding model/);
    refuse(() => models.resolveReranking('command-r-plus'), /is not a reranking model/);
  });

  it('refuses a reranking model whose provider serves none', () => {
    const config = parseConfig('providers:\n  m: { type: mistral }\nmodels:\n  - { id: r, kind: rerank, provider: m }\n');
    const providers = new Map<string, Provider>([['m', createProvider('m', config.providers.m!)]]);
    const models = new ModelCatalog(catalogEntries(config), providers);
    catalogs.push(models);
    assert.throws(() => models.resolveReranking('r'), /serves no reranking models/);
  });
});
