import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type FakeUpstream, startFakeUpstream } from '../../../test/support/fake-openai-upstream.js';
import type { EmbeddingModel, EmbeddingModelSettings } from '../../core/inference/embedding-model.js';
import type { Provider } from '../../core/models/provider.js';
import { createOpenAICompatibleProvider } from './openai-compatible-provider.js';

const recorded = JSON.parse(readFileSync(new URL('../../../test/fixtures/openai/embedding.json', import.meta.url), 'utf8')) as { data: { embedding: number[] }[] };

let upstream: FakeUpstream;
let provider: Provider;

function model(upstreamModel: string, settings: EmbeddingModelSettings = {}): EmbeddingModel {
  assert.ok(provider.embeddingModel, 'an OpenAI-compatible provider serves embedding models');
  return provider.embeddingModel(upstreamModel, settings);
}

before(async () => {
  upstream = await startFakeUpstream();
  provider = createOpenAICompatibleProvider({ name: 'local', baseUrl: upstream.url, apiKey: 'sk-embed', headers: { 'x-team': 'geology' } });
});
after(async () => {
  await provider.close();
  await upstream.close();
});

describe('OpenAI-compatible embeddings', () => {
  it('posts the texts to /embeddings and returns the vectors in input order with usage', async () => {
    const embedding = model('embedding', { dimensions: 8 });
    const result = await embedding.embed({ values: ['granite', 'basalt', 'gneiss'], purpose: 'query' });
    const request = upstream.requests.at(-1);
    assert.equal(request?.path, '/v1/embeddings');
    assert.deepEqual(request?.body, { model: 'embedding', input: ['granite', 'basalt', 'gneiss'], encoding_format: 'float' });
    assert.equal(request?.headers.authorization, 'Bearer sk-embed');
    assert.equal(request?.headers['x-team'], 'geology');
    assert.deepEqual(result.embeddings, [recorded.data[0]?.embedding, recorded.data[1]?.embedding, recorded.data[0]?.embedding]);
    assert.deepEqual(result.usage, { inputTokens: 12 });
    assert.equal(embedding.dimensions, 8);
  });

  it('learns the size from the first response when the configuration does not state it', async () => {
    const embedding = model('embedding');
    assert.equal(embedding.dimensions, 0);
    await embedding.embed({ values: ['granite'] });
    assert.equal(embedding.dimensions, 8);
  });

  it('rejects vectors of another size than configured', async () => {
    await assert.rejects(model('embedding', { dimensions: 768 }).embed({ values: ['granite'] }), (error: Error) => {
      assert.equal(error.name, 'ModelErrorException');
      assert.match(error.message, /8-dimension vectors.*dimensions: 768/);
      return true;
    });
  });

  it('maps backend failures onto Bedrock errors', async () => {
    await assert.rejects(model('rate-limited').embed({ values: ['granite'] }), { name: 'ThrottlingException' });
    await assert.rejects(model('server-error').embed({ values: ['granite'] }), { name: 'ModelErrorException' });
    await assert.rejects(model('bad-request').embed({ values: ['granite'] }), { name: 'ValidationException' });
  });

  it('sends nothing for an empty batch', async () => {
    const before = upstream.requests.length;
    assert.deepEqual(await model('embedding').embed({ values: [] }), { embeddings: [], usage: { inputTokens: 0 } });
    assert.equal(upstream.requests.length, before);
  });
});
