import { after, before } from 'node:test';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { runtimeClient } from './bedrock-runtime-client.js';
import { lateBound, type RecordingUpstream } from './provider-test-upstream.js';
import { type TestServer, startTestServer } from './test-server.js';

/** YAML for the test server: entries of the `providers:` map and of the `models:` list (indented by two spaces). */
export interface ProviderServerConfig {
  providers: string;
  models: string;
}

export interface ProviderTestServer<U extends RecordingUpstream> {
  /** the replaying upstream, usable once the file's `before` hook has started it */
  upstream: U;
  /** the real server in front of it */
  server: TestServer;
  /** a fresh bedrock-runtime SDK client (SigV4, no retries) for the server */
  client(): BedrockRuntimeClient;
}

/**
 * The lifecycle every provider conformance file shares: starts the replaying upstream, then the
 * real server configured with providers pointing at it, before the tests; closes both after them.
 *
 * @example
 * const { upstream, client } = useProviderServer(() => startFixtureUpstream(fixtures), (upstream) => ({
 *   providers: `\n  mistral:\n    type: mistral\n    baseUrl: ${upstream.url}/v1`,
 *   models: `\n  - { id: mistral.text, provider: mistral, upstreamModel: text }`,
 * }));
 * await client().send(new ConverseCommand({ modelId: 'mistral.text', messages }));
 */
export function useProviderServer<U extends RecordingUpstream>(startUpstream: () => Promise<U>, config: (upstream: U) => ProviderServerConfig): ProviderTestServer<U> {
  const upstream = lateBound<U>('the replaying upstream');
  const server = lateBound<TestServer>('the test server');
  let started: { upstream?: U; server?: TestServer } = {};
  before(async () => {
    started.upstream = await startUpstream();
    upstream.bind(started.upstream);
    const { providers, models } = config(started.upstream);
    started.server = await startTestServer({ extraProviders: providers, extraConfig: models });
    server.bind(started.server);
  });
  after(async () => {
    await started.server?.close();
    await started.upstream?.close();
    started = {};
  });
  return { upstream: upstream.value, server: server.value, client: () => runtimeClient(server.value.url) };
}
