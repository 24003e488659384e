import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcropError } from '../errors.js';
import type { EmbeddingModel, EmbeddingModelSettings } from '../inference/embedding-model.js';
import type { LanguageModel, ModelCapabilities } from '../inference/language-model.js';
import { type CatalogModel, familyOfId, ModelCatalog } from './catalog.js';
import type { Provider } from './provider.js';

const capabilities: ModelCapabilities = { images: false, documents: false, tools: true, systemPrompt: true };

/** A provider that records the models it hands out and whether it was closed. */
function fakeProvider(name: string): Provider & {
  created: { modelId: string; capabilities: ModelCapabilities }[];
  embedders: { modelId: string; settings: EmbeddingModelSettings | undefined }[];
  closed: number;
} {
  const fail = () => Promise.reject(new Error('not used in these tests'));
  const provider = {
    name,
    type: 'fake',
    created: [] as { modelId: string; capabilities: ModelCapabilities }[],
    embedders: [] as { modelId: string; settings: EmbeddingModelSettings | undefined }[],
    closed: 0,
    languageModel(modelId: string, caps: ModelCapabilities): LanguageModel {
      provider.created.push({ modelId, capabilities: caps });
      return { specificationVersion: 'outcrop.v1', provider: name, modelId, capabilities: caps, generate: fail, stream: fail, countTokens: fail };
    },
    embeddingModel(modelId: string, settings?: EmbeddingModelSettings): EmbeddingModel {
      provider.embedders.push({ modelId, settings });
      return { specificationVersion: 'outcrop.v1', provider: name, modelId, dimensions: settings?.dimensions ?? 512, maxBatchSize: 8, embed: fail };
    },
    async close() {
      provider.closed++;
    },
  };
  return provider;
}

function entry(overrides: Partial<CatalogModel> & Pick<CatalogModel, 'id'>): CatalogModel {
  return {
    kind: 'text',
    name: overrides.id,
    providerName: 'Local',
    provider: 'vllm',
    upstreamModel: `upstream/${overrides.id}`,
    family: 'meta',
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    streaming: true,
    capabilities,
    aliases: [],
    ...overrides,
  };
}

const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';

function catalog() {
  const vllm = fakeProvider('vllm');
  const entries = [
    entry({ id: 'llama-local', family: 'meta', aliases: [haiku, 'my-app-profile', 'plain-alias'] }),
    entry({ id: 'meta.llama3-1-8b-instruct-v1:0', family: 'meta', upstreamModel: 'meta-llama/Llama-3.1-8B-Instruct' }),
    entry({ id: 'embed-local', kind: 'embedding', family: 'amazon-titan-embed-v2', aliases: ['amazon.titan-embed-text-v1'], dimensions: 384 }),
  ];
  return { vllm, models: new ModelCatalog(entries, new Map([['vllm', vllm]])) };
}

function invalid(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(OutcropError.isInstance(error), `expected an OutcropError, got ${String(error)}`);
    assert.equal(error.code, 'ValidationException');
    return error.message;
  }
  assert.fail('expected a ValidationException');
}

describe('ModelCatalog.resolve', () => {
  it('resolves by ID and creates the provider model with the upstream name and capabilities', () => {
    const { vllm, models } = catalog();
    const resolved = models.resolve('meta.llama3-1-8b-instruct-v1:0');
    assert.equal(resolved.entry.id, 'meta.llama3-1-8b-instruct-v1:0');
    assert.equal(resolved.requestedId, 'meta.llama3-1-8b-instruct-v1:0');
    assert.equal(resolved.family, 'meta');
    assert.equal(resolved.model.modelId, 'meta-llama/Llama-3.1-8B-Instruct');
    assert.deepEqual(vllm.created, [{ modelId: 'meta-llama/Llama-3.1-8B-Instruct', capabilities }]);
  });

  it('reuses one provider model per entry, whichever ID resolves to it', () => {
    const { vllm, models } = catalog();
    const first = models.resolve('llama-local').model;
    assert.equal(models.resolve(haiku).model, first);
    assert.equal(models.resolve(`us.${haiku}`).model, first);
    assert.equal(vllm.created.length, 1);
  });

  it('resolves by alias, taking the family from the alias used', () => {
    const { models } = catalog();
    const byAlias = models.resolve(haiku);
    assert.equal(byAlias.entry.id, 'llama-local');
    assert.equal(byAlias.requestedId, haiku);
    assert.equal(byAlias.family, 'anthropic');
    assert.equal(models.resolve('llama-local').family, 'meta');
    // An alias without a vendor prefix keeps the entry's family.
    assert.equal(models.resolve('plain-alias').family, 'meta');
  });

  it('resolves foundation-model, inference-profile and application-inference-profile ARNs', () => {
    const { models } = catalog();
    const foundation = models.resolve(`arn:aws:bedrock:us-east-1::foundation-model/${haiku}`);
    assert.equal(foundation.entry.id, 'llama-local');
    assert.equal(foundation.family, 'anthropic');
    assert.equal(foundation.requestedId, `arn:aws:bedrock:us-east-1::foundation-model/${haiku}`);

    const profile = models.resolve(`arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.${haiku}`);
    assert.equal(profile.entry.id, 'llama-local');
    assert.equal(profile.family, 'anthropic');

    const application = models.resolve('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/my-app-profile');
    assert.equal(application.entry.id, 'llama-local');
    assert.equal(application.family, 'meta');

    assert.equal(models.resolve('arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/meta.llama3-1-8b-instruct-v1:0').entry.id, 'meta.llama3-1-8b-instruct-v1:0');
  });

  it('resolves cross-region inference profile IDs with the us., eu., apac. and global. prefixes', () => {
    const { models } = catalog();
    for (const prefix of ['us', 'eu', 'apac', 'global']) {
      const resolved = models.resolve(`${prefix}.${haiku}`);
      assert.equal(resolved.entry.id, 'llama-local', prefix);
      assert.equal(resolved.family, 'anthropic', prefix);
    }
    assert.equal(models.resolve('us.meta.llama3-1-8b-instruct-v1:0').family, 'meta');
  });

  it('names the unknown identifier', () => {
    const { models } = catalog();
    assert.equal(
      invalid(() => models.resolve('anthropic.claude-v2')),
      "The provided model identifier is invalid: 'anthropic.claude-v2' is not in this server's model catalog.",
    );
    assert.match(invalid(() => models.resolve('xx.anthropic.claude-3-haiku-20240307-v1:0')), /'xx\.anthropic/);
    assert.match(invalid(() => models.resolve('arn:aws:s3:::bucket/llama-local')), /not in this server's model catalog/);
  });

  it('keeps text and embedding models apart', () => {
    const { vllm, models } = catalog();
    assert.equal(invalid(() => models.resolve('embed-local')), 'The model embed-local is an embedding model; it does not support this operation.');
    assert.equal(invalid(() => models.resolveEmbedding('llama-local')), 'The model llama-local is not an embedding model.');
    const embedding = models.resolveEmbedding('us.amazon.titan-embed-text-v1');
    assert.equal(embedding.entry.id, 'embed-local');
    assert.equal(embedding.family, 'amazon-titan-embed-v1');
    assert.equal(embedding.model.dimensions, 384);
    assert.equal(models.resolveEmbedding('embed-local').model, embedding.model);
    assert.deepEqual(vllm.embedders, [{ modelId: 'upstream/embed-local', settings: { dimensions: 384 } }]);
  });

  it('says when no models are configured at all', () => {
    const empty = new ModelCatalog([], new Map());
    assert.equal(
      invalid(() => empty.resolve(haiku)),
      "The provided model identifier is invalid: no models are configured. Add one under 'models:' in outcrop.yaml (see the README's configuration section).",
    );
  });
});

describe('ModelCatalog construction', () => {
  it('rejects an ID configured twice, as an ID or as an alias', () => {
    const vllm = fakeProvider('vllm');
    const providers = new Map([['vllm', vllm]]);
    assert.throws(() => new ModelCatalog([entry({ id: 'a' }), entry({ id: 'a' })], providers), { message: "model ID 'a' is configured twice" });
    assert.throws(() => new ModelCatalog([entry({ id: 'a', aliases: [haiku] }), entry({ id: 'b', aliases: [haiku] })], providers), {
      message: `model ID '${haiku}' is configured twice`,
    });
    assert.throws(() => new ModelCatalog([entry({ id: 'a' }), entry({ id: 'b', aliases: ['a'] })], providers), { message: "model ID 'a' is configured twice" });
  });

  it('rejects a model whose provider is not configured', () => {
    assert.throws(() => new ModelCatalog([entry({ id: 'a', provider: 'ollama' })], new Map([['vllm', fakeProvider('vllm')]])), {
      message: "model a: provider 'ollama' is not configured",
    });
  });

  it('closes every provider', async () => {
    const { vllm, models } = catalog();
    await models.close();
    assert.equal(vllm.closed, 1);
  });
});

describe('familyOfId', () => {
  it('maps Bedrock vendor prefixes to body families', () => {
    assert.equal(familyOfId(haiku), 'anthropic');
    assert.equal(familyOfId('meta.llama3-1-8b-instruct-v1:0'), 'meta');
    assert.equal(familyOfId('mistral.mistral-7b-instruct-v0:2'), 'mistral');
    assert.equal(familyOfId('amazon.titan-text-express-v1'), 'amazon-titan-text');
    assert.equal(familyOfId('amazon.titan-embed-text-v2:0'), 'amazon-titan-embed-v2');
    assert.equal(familyOfId('unknownvendor.model'), undefined);
    assert.equal(familyOfId('llama-local'), undefined);
  });
});
