import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import type { LanguageModel, ModelCapabilities } from '../../src/core/inference/language-model.js';
import type { Provider } from '../../src/core/models/provider.js';

/** What every replaying upstream offers: its address, the requests it recorded, a way to stop it. */
export interface RecordingUpstream {
  url: string;
  requests: unknown[];
  close(): Promise<void>;
}

export interface ProviderTestUpstream<U extends RecordingUpstream> {
  /** the upstream, usable once the file's `before` hook has started it */
  upstream: U;
  /** closes this provider after the file's tests (its connection pool); returns it */
  track<P extends Provider>(provider: P): P;
  /** asserts the upstream saw exactly one request in this test, and returns it */
  onlyRequest(): U['requests'][number];
}

/**
 * The lifecycle every provider unit test file shares: starts the replaying upstream before the
 * tests, forgets its recorded requests before each test, and closes every tracked provider and the
 * upstream after them. The returned `upstream` stands in for the started one, so tests read and
 * set it (`upstream.route = ...`, `upstream.requests`) directly.
 *
 * @example
 * const { upstream, track, onlyRequest } = useProviderUpstream(() => startReplayUpstream());
 * const model = () => track(createGeminiProvider({ name: 'gemini', baseUrl: upstream.url })).languageModel!('gemini-2.5-flash', capabilities);
 */
export function useProviderUpstream<U extends RecordingUpstream>(start: () => Promise<U>): ProviderTestUpstream<U> {
  const upstream = lateBound<U>('the provider test upstream');
  const providers: Provider[] = [];
  before(async () => upstream.bind(await start()));
  beforeEach(() => {
    upstream.value.requests.length = 0;
  });
  after(async () => {
    await Promise.all(providers.map((provider) => provider.close()));
    await upstream.value.close();
  });
  return {
    upstream: upstream.value,
    track: (provider) => {
      providers.push(provider);
      return provider;
    },
    onlyRequest: () => {
      assert.equal(upstream.value.requests.length, 1);
      return upstream.value.requests[0] as U['requests'][number];
    },
  };
}

/** A provider's language model, failing the test when the provider serves none. */
export function languageModelOf(provider: Provider, modelId: string, capabilities: ModelCapabilities): LanguageModel {
  assert.ok(provider.languageModel, `provider ${provider.name} serves no language models`);
  return provider.languageModel(modelId, capabilities);
}

/**
 * A stand-in for an object that a `before` hook creates: reads and writes of its properties reach
 * the real object once `bind` has been given it, and fail loudly before then.
 *
 * @example
 * const server = lateBound<TestServer>('the test server');
 * before(async () => server.bind(await startTestServer()));
 * it('answers', () => fetch(server.value.url));
 */
export function lateBound<T extends object>(what: string): { value: T; bind(actual: T): void } {
  let actual: T | undefined;
  const target = (): T => {
    if (actual === undefined) throw new Error(`${what} is used before its before() hook started it`);
    return actual;
  };
  const value = new Proxy({} as T, {
    get: (_, key) => Reflect.get(target(), key),
    set: (_, key, next) => Reflect.set(target(), key, next),
    has: (_, key) => Reflect.has(target(), key),
  });
  return {
    value,
    bind: (started) => {
      actual = started;
    },
  };
}
