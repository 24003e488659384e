import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LanguageModel } from '../../inference/language-model.js';
import { type CatalogModel, ModelCatalog } from '../catalog.js';
import type { Provider } from '../provider.js';
import { RoutedLanguageModel } from './routed-language-model.js';
import { defaultRoutingPolicy } from './routing-policy.js';
import { fakeEnvironment, prompt, scriptedModel, unavailable } from './routing.test-support.js';

const capabilities = { images: false, documents: false, tools: true, systemPrompt: true };

function provider(name: string, model: LanguageModel, health?: () => Promise<void>): Provider {
  return { name, type: 'fake', languageModel: () => model, ...(health ? { healthCheck: health } : {}), close: async () => {} };
}

function routedEntry(): CatalogModel {
  return {
    id: 'routed',
    kind: 'text',
    name: 'routed',
    providerName: 'Local',
    provider: 'a',
    upstreamModel: 'm',
    family: 'meta',
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    streaming: true,
    capabilities,
    aliases: [],
    deployments: [
      { provider: 'a', upstreamModel: 'm', weight: 1, priority: 0 },
      { provider: 'b', upstreamModel: 'm', weight: 1, priority: 1 },
    ],
    routing: defaultRoutingPolicy,
  };
}

describe('the catalog with deployments', () => {
  it('resolves a model with deployments to a routed model over each provider', async () => {
    const a = scriptedModel('a', [unavailable()]);
    const b = scriptedModel('b');
    const catalog = new ModelCatalog([routedEntry()], new Map([['a', provider('a', a)], ['b', provider('b', b)]]), { environment: fakeEnvironment() });
    const { model } = catalog.resolve('routed');
    assert.ok(model instanceof RoutedLanguageModel);
    const result = await model.generate(prompt);
    assert.deepEqual(result.content, [{ type: 'text', text: 'from b' }]);
  });

  it('refuses a deployment on a provider that is not configured', () => {
    assert.throws(() => new ModelCatalog([routedEntry()], new Map([['a', provider('a', scriptedModel('a'))]])), /provider 'b' is not configured/);
  });

  it("runs the providers' health checks and routes around a failing one", async () => {
    const a = scriptedModel('a');
    const b = scriptedModel('b');
    const catalog = new ModelCatalog(
      [routedEntry()],
      new Map([
        ['a', provider('a', a, () => Promise.reject(new Error('connection refused')))],
        ['b', provider('b', b, () => Promise.resolve())],
      ]),
      { healthCheck: { intervalMs: 60_000 }, environment: fakeEnvironment() },
    );
    await catalog.checkHealth();
    await catalog.resolve('routed').model.generate(prompt);
    assert.equal(a.calls, 0);
    assert.equal(b.calls, 1);
    await catalog.close();
  });
});
