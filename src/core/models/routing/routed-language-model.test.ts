import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcropError } from '../../errors.js';
import type { StreamPart } from '../../inference/language-model.js';
import { RoutedEmbeddingModel } from './routed-embedding-model.js';
import { RoutedLanguageModel } from './routed-language-model.js';
import type { RoutingPolicy } from './routing-policy.js';
import {
  type Behaviour,
  deployment,
  fakeEnvironment,
  invalid,
  prompt,
  readAll,
  scriptedEmbeddingModel,
  scriptedModel,
  serverFault,
  testPolicy,
  throttled,
  timedOut,
  unavailable,
} from './routing.test-support.js';

const capabilities = { images: false, documents: false, tools: true, systemPrompt: true };

/** Two deployments, `primary` tried first (priority 0) and `backup` after it. */
function pair(primaryScript: Behaviour[], backupScript: Behaviour[] = [], policy: Partial<RoutingPolicy> = {}) {
  const primary = scriptedModel('primary', primaryScript);
  const backup = scriptedModel('backup', backupScript);
  const environment = fakeEnvironment();
  const model = new RoutedLanguageModel(
    'routed',
    capabilities,
    [deployment(primary, { priority: 0 }), deployment(backup, { priority: 1 })],
    { ...testPolicy, ...policy },
    environment,
  );
  return { primary, backup, environment, model };
}

const textOf = (result: { content: { type: string; text?: string }[] }) => result.content.map((part) => part.text).join('');
const isCode = (code: string) => (error: unknown) => OutcropError.isInstance(error) && error.code === code;

describe('RoutedLanguageModel failover', () => {
  for (const [label, failure] of [
    ['unavailable (503)', unavailable],
    ['a timeout', timedOut],
    ['throttling', () => throttled()],
    ['a 5xx model error', serverFault],
  ] as const) {
    it(`moves a call that fails with ${label} to the next deployment, unseen`, async () => {
      const { primary, backup, environment, model } = pair([failure()]);
      const result = await model.generate(prompt);
      assert.equal(textOf(result), 'from backup');
      assert.equal(primary.calls, 1);
      assert.equal(backup.calls, 1);
      assert.deepEqual(environment.failovers, ['primary']);
      assert.deepEqual(environment.sleeps, [], 'failing over to an untried deployment waits for nothing');
    });
  }

  it('returns a request the backend refused as invalid at once, without trying another deployment', async () => {
    const { backup, model } = pair([invalid()]);
    await assert.rejects(model.generate(prompt), isCode('ValidationException'));
    assert.equal(backup.calls, 0);
  });

  it('does not retry a 4xx model error (bad credentials) either', async () => {
    const { backup, model } = pair([new OutcropError('ModelErrorException', 'rejected (401)', { fields: { originalStatusCode: 401 } })]);
    await assert.rejects(model.generate(prompt), isCode('ModelErrorException'));
    assert.equal(backup.calls, 0);
  });

  it('fails over countTokens too', async () => {
    const { model } = pair([unavailable()]);
    assert.equal(await model.countTokens(prompt), 5);
  });

  it('stops after maxAttempts and surfaces the last failure', async () => {
    const failures = Array.from({ length: 10 }, unavailable);
    const { primary, backup, model } = pair(failures, [...failures.map(() => throttled())], { maxAttempts: 4, failureThreshold: 100 });
    await assert.rejects(model.generate(prompt), isCode('ThrottlingException'));
    assert.equal(primary.calls, 2);
    assert.equal(backup.calls, 2);
  });

  it('backs off with full jitter before trying the same deployments again', async () => {
    const model = scriptedModel('only', [unavailable(), unavailable()]);
    const environment = fakeEnvironment();
    const routed = new RoutedLanguageModel('routed', capabilities, [deployment(model)], { ...testPolicy, failureThreshold: 100 }, environment);
    assert.equal(textOf(await routed.generate(prompt)), 'from only');
    assert.equal(environment.sleeps.length, 2);
    const [first, second] = environment.sleeps as [number, number];
    assert.ok(first >= 0 && first < 100, `first backoff ${first} < base 100`);
    assert.ok(second >= 0 && second < 200, `second backoff ${second} < 200`);
  });

  it("honours the backend's Retry-After before calling it again", async () => {
    const model = scriptedModel('only', [throttled(2)]);
    const environment = fakeEnvironment();
    const routed = new RoutedLanguageModel('routed', capabilities, [deployment(model)], testPolicy, environment);
    assert.equal(textOf(await routed.generate(prompt)), 'from only');
    assert.deepEqual(environment.sleeps, [2000]);
  });

  it('caps Retry-After at maxRetryDelayMs', async () => {
    const model = scriptedModel('only', [throttled(60)]);
    const environment = fakeEnvironment();
    const routed = new RoutedLanguageModel('routed', capabilities, [deployment(model)], { ...testPolicy, maxRetryDelayMs: 750 }, environment);
    await routed.generate(prompt);
    assert.deepEqual(environment.sleeps, [750]);
  });

  it('keeps a throttled deployment out of later requests until its Retry-After has passed', async () => {
    const { primary, backup, environment, model } = pair([throttled(3)]);
    await model.generate(prompt);
    await model.generate(prompt);
    assert.equal(primary.calls, 1, 'the second request went straight to the backup');
    assert.equal(backup.calls, 2);
    environment.advance(3000);
    await model.generate(prompt);
    assert.equal(primary.calls, 2);
  });

  it('gives up at once when the client has gone away', async () => {
    const { backup, model } = pair(['hang']);
    const controller = new AbortController();
    const call = model.generate({ ...prompt, abortSignal: controller.signal });
    controller.abort(new Error('client disconnected'));
    await assert.rejects(call, /client disconnected/);
    assert.equal(backup.calls, 0);
  });
});

describe('RoutedLanguageModel streams', () => {
  it('fails over when the stream cannot start', async () => {
    const { backup, model } = pair([unavailable()]);
    const parts = await readAll((await model.stream(prompt)).stream);
    assert.equal(backup.calls, 1);
    assert.deepEqual(
      parts.filter((part) => part.type === 'text-delta').map((part) => (part as { delta: string }).delta),
      ['from backup'],
    );
    assert.equal(parts.at(-1)?.type, 'finish');
  });

  it('fails over when the stream fails before its first part, and the client sees one clean stream', async () => {
    const { backup, model } = pair(['error-first']);
    const parts = await readAll((await model.stream(prompt)).stream);
    assert.equal(backup.calls, 1);
    assert.deepEqual(
      parts.map((part) => part.type),
      ['stream-start', 'text-start', 'text-delta', 'text-end', 'finish'],
    );
  });

  it('does not switch deployments once a part has reached the client: the error flows on', async () => {
    const { primary, backup, model } = pair(['error-after-text']);
    const parts = await readAll((await model.stream(prompt)).stream);
    assert.equal(primary.calls, 1);
    assert.equal(backup.calls, 0);
    assert.deepEqual(
      parts.map((part) => part.type),
      ['stream-start', 'text-start', 'text-delta', 'error'],
    );
    const error = (parts.at(-1) as Extract<StreamPart, { type: 'error' }>).error;
    assert.ok(isCode('ModelStreamErrorException')(error));
  });

  it('counts a stream broken mid-way against its deployment', async () => {
    const { primary, backup, model } = pair(['error-after-text', 'error-after-text', 'error-after-text'], [], { failureThreshold: 3 });
    for (let index = 0; index < 3; index++) await readAll((await model.stream(prompt)).stream);
    assert.equal(primary.calls, 3);
    await readAll((await model.stream(prompt)).stream);
    assert.equal(primary.calls, 3, 'the circuit opened after three broken streams');
    assert.equal(backup.calls, 1);
  });
});

describe('RoutedLanguageModel circuit breaking', () => {
  it('opens after failureThreshold failures, then closes after the cool-down through one trial call', async () => {
    const { primary, backup, environment, model } = pair([unavailable(), unavailable()], [], { failureThreshold: 2, cooldownMs: 1000 });
    await model.generate(prompt);
    await model.generate(prompt);
    assert.equal(primary.calls, 2);
    await model.generate(prompt);
    assert.equal(primary.calls, 2, 'open: the primary is skipped');
    assert.equal(backup.calls, 3);
    environment.advance(1000);
    assert.equal(textOf(await model.generate(prompt)), 'from primary', 'half-open: one trial call goes through and succeeds');
    assert.equal(primary.calls, 3);
    await model.generate(prompt);
    assert.equal(primary.calls, 4, 'closed again');
    assert.equal(backup.calls, 3);
  });

  it('opens again for another cool-down when the trial call fails', async () => {
    const { primary, backup, environment, model } = pair([unavailable(), unavailable(), unavailable()], [], { failureThreshold: 2, cooldownMs: 1000 });
    await model.generate(prompt);
    await model.generate(prompt);
    environment.advance(1000);
    assert.equal(textOf(await model.generate(prompt)), 'from backup', 'the trial failed and the call failed over');
    assert.equal(primary.calls, 3);
    environment.advance(999);
    await model.generate(prompt);
    assert.equal(primary.calls, 3, 'still open');
    environment.advance(1);
    await model.generate(prompt);
    assert.equal(primary.calls, 4);
    assert.equal(backup.calls, 4);
  });

  it('lets only one trial through while it is in flight', async () => {
    const { primary, backup, environment, model } = pair([unavailable(), 'hang'], [], { failureThreshold: 1, cooldownMs: 1000 });
    await model.generate(prompt);
    environment.advance(1000);
    const controller = new AbortController();
    const trial = model.generate({ ...prompt, abortSignal: controller.signal });
    await model.generate(prompt);
    assert.equal(primary.calls, 2, 'the second call did not join the trial');
    assert.equal(backup.calls, 2);
    controller.abort(new Error('gone'));
    await assert.rejects(trial);
  });

  it('fails fast with ServiceUnavailableException and a Retry-After when every circuit is open', async () => {
    const { primary, backup, model } = pair([unavailable()], [unavailable()], { failureThreshold: 1, cooldownMs: 4000, maxAttempts: 2 });
    await assert.rejects(model.generate(prompt), isCode('ServiceUnavailableException'));
    await assert.rejects(model.generate(prompt), (error: unknown) => {
      assert.ok(isCode('ServiceUnavailableException')(error));
      assert.equal((error as OutcropError).retryAfterSeconds, 4);
      assert.match((error as Error).message, /No deployment of routed is available/);
      return true;
    });
    assert.equal(primary.calls + backup.calls, 2, 'no calls while every circuit is open');
  });
});

describe('deployment choice', () => {
  it('spreads calls by weight within a tier', async () => {
    const models = [scriptedModel('light'), scriptedModel('medium'), scriptedModel('heavy')];
    const weights = [1, 2, 7];
    const routed = new RoutedLanguageModel(
      'routed',
      capabilities,
      models.map((model, index) => deployment(model, { weight: weights[index] as number })),
      testPolicy,
      fakeEnvironment(42),
    );
    const total = 5000;
    for (let index = 0; index < total; index++) await routed.generate(prompt);
    models.forEach((model, index) => {
      const share = model.calls / total;
      const expected = (weights[index] as number) / 10;
      assert.ok(Math.abs(share - expected) < 0.02, `${model.provider}: ${share} vs ${expected}`);
    });
  });

  it('keeps to the lowest priority tier while it is available', async () => {
    const { primary, backup, model } = pair([]);
    for (let index = 0; index < 50; index++) await model.generate(prompt);
    assert.equal(primary.calls, 50);
    assert.equal(backup.calls, 0);
  });

  it('skips a provider that fails its health checks, and uses all when none passes', async () => {
    const primary = scriptedModel('primary');
    const backup = scriptedModel('backup');
    const healthy = new Set(['backup']);
    const environment = { ...fakeEnvironment(), isHealthy: (provider: string) => healthy.has(provider) };
    const routed = new RoutedLanguageModel('routed', capabilities, [deployment(primary, { priority: 0 }), deployment(backup, { priority: 1 })], testPolicy, environment);
    await routed.generate(prompt);
    assert.equal(backup.calls, 1);
    healthy.clear();
    await routed.generate(prompt);
    assert.equal(primary.calls, 1, 'with no healthy provider, routing ignores the checks');
  });
});

describe('RoutedEmbeddingModel', () => {
  it('fails over like the language model and fits batches to the smallest deployment', async () => {
    const first = scriptedEmbeddingModel('small', [unavailable()]);
    const second = scriptedEmbeddingModel('second');
    const routed = new RoutedEmbeddingModel('embed', [deployment(first, { priority: 0 }), deployment(second, { priority: 1 })], testPolicy, fakeEnvironment());
    assert.equal(routed.maxBatchSize, 2);
    assert.equal(routed.dimensions, 4);
    const result = await routed.embed({ values: ['a', 'b'] });
    assert.deepEqual(result.embeddings, [
      [6, 0, 0, 0],
      [6, 0, 0, 0],
    ]);
    assert.equal(first.calls, 1);
  });
});
