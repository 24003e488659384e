import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type OutcropConfig, parseConfig } from '../../src/config/config.js';
import { type OutcropServer, startOutcrop } from '../../src/server/outcrop.js';
import { type FakeUpstream, startFakeUpstream } from './fake-openai-upstream.js';

export const testCredentials = {
  accessKeyId: 'AKIAOUTCROPTEST00001',
  secretAccessKey: 'outcrop/test/secret/key/0123456789abcdefgh',
  apiKey: 'ABSKb3V0Y3JvcC10ZXN0LWFwaS1rZXk',
};

export interface TestServer {
  url: string;
  server: OutcropServer;
  upstream: FakeUpstream;
  dataDir: string;
  close(): Promise<void>;
}

/** The models every conformance suite uses: upstream model names pick the fake upstream's fixtures. */
export function testConfigYaml(upstreamUrl: string, extra = '', extraProviders = ''): string {
  return `
server:
  port: 0
  host: 127.0.0.1
  maxBodyBytes: 1048576
  shutdownGraceMs: 2000
providers:
  fake:
    type: openai-compatible
    baseUrl: ${upstreamUrl}
    apiKey: sk-upstream-secret
    timeoutMs: 1500
    idleTimeoutMs: 1500
${extraProviders}
models:
  - id: outcrop.text
    name: Text fixture
    provider: fake
    upstreamModel: text
    providerName: Outcrop
    aliases: ["anthropic.claude-3-haiku-20240307-v1:0", "meta.llama3-1-8b-instruct-v1:0"]
    capabilities: { images: true }
  - { id: outcrop.tools, provider: fake, upstreamModel: tool-call, providerName: Outcrop, family: anthropic }
  - { id: outcrop.midstream-error, provider: fake, upstreamModel: midstream-error, providerName: Outcrop }
  - { id: outcrop.truncated, provider: fake, upstreamModel: truncated, providerName: Outcrop }
  - { id: outcrop.rate-limited, provider: fake, upstreamModel: rate-limited, providerName: Outcrop }
  - { id: outcrop.server-error, provider: fake, upstreamModel: server-error, providerName: Outcrop }
  - { id: outcrop.bad-request, provider: fake, upstreamModel: bad-request, providerName: Outcrop }
  - { id: outcrop.slow, provider: fake, upstreamModel: slow, providerName: Outcrop }
  - { id: outcrop.endless, provider: fake, upstreamModel: endless, providerName: Outcrop }
  - { id: outcrop.stop-sequence, provider: fake, upstreamModel: stop-sequence, providerName: Outcrop }
  - { id: outcrop.max-tokens, provider: fake, upstreamModel: max-tokens, providerName: Outcrop }
  - { id: outcrop.no-stream, provider: fake, upstreamModel: text, providerName: Outcrop, streaming: false }
  - { id: outcrop.family.amazon-nova, provider: fake, upstreamModel: text, providerName: Outcrop, family: amazon-nova, capabilities: { images: true } }
  - { id: outcrop.family.amazon-titan-text, provider: fake, upstreamModel: text, providerName: Outcrop, family: amazon-titan-text }
  - { id: outcrop.family.meta, provider: fake, upstreamModel: text, providerName: Outcrop, family: meta, capabilities: { images: true } }
  - { id: outcrop.family.mistral, provider: fake, upstreamModel: text, providerName: Outcrop, family: mistral }
  - { id: outcrop.family.mistral-chat, provider: fake, upstreamModel: text, providerName: Outcrop, family: mistral-chat }
  - { id: outcrop.family.cohere-command-r, provider: fake, upstreamModel: text, providerName: Outcrop, family: cohere-command-r }
  - { id: outcrop.family.ai21-jamba, provider: fake, upstreamModel: text, providerName: Outcrop, family: ai21-jamba }
  - { id: outcrop.family.deepseek, provider: fake, upstreamModel: text, providerName: Outcrop, family: deepseek }
  - { id: outcrop.family.openai, provider: fake, upstreamModel: text, providerName: Outcrop, family: openai }
  - { id: outcrop.family.amazon-nova.tools, provider: fake, upstreamModel: tool-call, providerName: Outcrop, family: amazon-nova }
  - { id: outcrop.family.mistral-chat.tools, provider: fake, upstreamModel: tool-call, providerName: Outcrop, family: mistral-chat }
  - { id: outcrop.family.cohere-command-r.tools, provider: fake, upstreamModel: tool-call, providerName: Outcrop, family: cohere-command-r }
  - { id: outcrop.family.ai21-jamba.tools, provider: fake, upstreamModel: tool-call, providerName: Outcrop, family: ai21-jamba }
  - { id: outcrop.family.openai.tools, provider: fake, upstreamModel: tool-call, providerName: Outcrop, family: openai }
${extra}`;
}

/** Starts the real server on an ephemeral port in front of a fake OpenAI-compatible upstream. */
export async function startTestServer(
  options: {
    noAuth?: boolean;
    /** YAML appended to the `models:` list */
    extraConfig?: string;
    /** YAML appended to the `providers:` map (entries indented by two spaces) */
    extraProviders?: string;
    tls?: { certFile: string; keyFile: string };
    /** changes the parsed configuration before the server starts (e.g. `config.knowledge`) */
    configure?: (config: OutcropConfig) => void;
  } = {},
): Promise<TestServer> {
  const upstream = await startFakeUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'outcrop-test-'));
  const config = parseConfig(testConfigYaml(upstream.url, options.extraConfig, options.extraProviders));
  config.server.dataDir = dataDir;
  if (options.tls) config.server.tls = options.tls;
  options.configure?.(config);
  const server = await startOutcrop({
    config,
    noAuth: options.noAuth ?? false,
    logger: pino({ level: 'silent' }),
    env: {
      OUTCROP_ROOT_ACCESS_KEY_ID: testCredentials.accessKeyId,
      OUTCROP_ROOT_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
      OUTCROP_ROOT_API_KEY: testCredentials.apiKey,
    },
  });
  return {
    url: server.url,
    server,
    upstream,
    dataDir,
    async close() {
      await server.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
