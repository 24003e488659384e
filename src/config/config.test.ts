// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${NAME}` in plain strings is the configuration syntax under test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { catalogEntries, parseConfig } from './config.js';

const provider = (extra = '') => `providers:\n  local:\n    type: openai-compatible\n    baseUrl: http://127.0.0.1:8000/v1\n${extra}`;

describe('parseConfig defaults', () => {
  it('fills every server default from an empty document', () => {
    const config = parseConfig('', {});
    assert.equal(config.server.port, 8080);
    assert.equal(config.server.host, '127.0.0.1');
    assert.equal(config.server.maxBodyBytes, 20 * 1024 * 1024);
    assert.equal(config.server.shutdownGraceMs, 10_000);
    assert.equal(config.server.region, 'us-east-1');
    assert.equal(config.server.accountId, '000000000000');
    assert.equal(config.server.logLevel, 'info');
    assert.equal(config.server.dataDir, './.outcrop');
    assert.equal(config.server.tls, undefined);
    assert.deepEqual(config.providers, {});
    assert.deepEqual(config.models, []);
  });

  it('keeps the other server defaults when only some are set', () => {
    const config = parseConfig('server:\n  port: 9000\n', {});
    assert.equal(config.server.port, 9000);
    assert.equal(config.server.host, '127.0.0.1');
    assert.equal(config.server.maxBodyBytes, 20 * 1024 * 1024);
  });

  it('fills model defaults: capabilities, streaming, aliases', () => {
    const config = parseConfig(`${provider()}models:\n  - id: llama\n    provider: local\n`, {});
    const [model] = config.models;
    assert.deepEqual(model?.capabilities, { images: false, documents: false, tools: true, systemPrompt: true });
    assert.equal(model?.streaming, true);
    assert.deepEqual(model?.aliases, []);
    const partial = parseConfig(`${provider()}models:\n  - id: llava\n    provider: local\n    capabilities: { images: true }\n`, {});
    assert.deepEqual(partial.models[0]?.capabilities, { images: true, documents: false, tools: true, systemPrompt: true });
  });
});

describe('parseConfig interpolation', () => {
  it('replaces ${VAR} and ${VAR:-default} from the environment', () => {
    const text = provider('    apiKey: ${OUTCROP_TEST_KEY}\n    headers:\n      x-tenant: ${OUTCROP_TEST_TENANT:-geology}\n');
    const config = parseConfig(text, { OUTCROP_TEST_KEY: 'sk-123' });
    assert.equal(config.providers.local?.type, 'openai-compatible');
    const local = config.providers.local as { apiKey?: string; headers?: Record<string, string> };
    assert.equal(local.apiKey, 'sk-123');
    assert.deepEqual(local.headers, { 'x-tenant': 'geology' });
    const overridden = parseConfig(text, { OUTCROP_TEST_KEY: 'sk-123', OUTCROP_TEST_TENANT: 'mining' }).providers.local as { headers?: Record<string, string> };
    assert.deepEqual(overridden.headers, { 'x-tenant': 'mining' });
  });

  it('keeps numbers and booleans of unquoted references, text of quoted ones', () => {
    const text =
      'server:\n  port: ${OUTCROP_TEST_PORT:-9090}\n  region: "${OUTCROP_TEST_REGION:-123}"\n' +
      `${provider()}models:\n  - id: llama\n    provider: local\n    streaming: \${OUTCROP_TEST_STREAMING:-false}\n`;
    assert.equal(parseConfig(text, {}).server.port, 9090);
    assert.equal(parseConfig(text, { OUTCROP_TEST_PORT: '7070' }).server.port, 7070);
    assert.equal(parseConfig(text, {}).server.region, '123');
    assert.equal(parseConfig(text, {}).models[0]?.streaming, false);
    assert.equal(parseConfig(text, { OUTCROP_TEST_STREAMING: 'true' }).models[0]?.streaming, true);
  });

  it('takes an empty default as an empty string', () => {
    const local = parseConfig(provider('    apiKey: ${OUTCROP_TEST_KEY:-}   # optional\n'), {}).providers.local as { apiKey?: string };
    assert.equal(local.apiKey, '');
  });

  it('keeps a value with YAML-special characters intact', () => {
    const text = provider('    apiKey: ${OUTCROP_TEST_KEY}\n    headers: { x-secret: ${OUTCROP_TEST_SECRET} }\n');
    const local = parseConfig(text, { OUTCROP_TEST_KEY: '@abc #def: ghi', OUTCROP_TEST_SECRET: '{x}, [y]' }).providers.local as {
      apiKey?: string;
      headers?: Record<string, string>;
    };
    assert.equal(local.apiKey, '@abc #def: ghi');
    assert.deepEqual(local.headers, { 'x-secret': '{x}, [y]' });
  });

  it('names a variable that is not set and has no default', () => {
    assert.throws(() => parseConfig(provider('    apiKey: ${OUTCROP_TEST_MISSING}\n'), {}), {
      message: 'configuration references ${OUTCROP_TEST_MISSING}, which is not set in the environment',
    });
  });

  it('ignores references in comments', () => {
    const config = parseConfig('# `${NAME}` and `${NAME:-default}` are replaced from the environment.\nserver:\n  port: 1234 # or ${PORT}\n', {});
    assert.equal(config.server.port, 1234);
  });

  it('loads the shipped example configuration with an empty environment, and with overrides', () => {
    const example = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'outcrop.example.yaml'), 'utf8');
    const config = parseConfig(example, {});
    assert.ok(config.models.length > 0);
    assert.ok(catalogEntries(config).length > 0);
    const overridden = parseConfig(example, { OUTCROP_UPSTREAM_URL: 'http://gpu-box:8000/v1' });
    assert.ok(Object.values(overridden.providers).some((entry) => 'baseUrl' in entry && entry.baseUrl === 'http://gpu-box:8000/v1'));
  });
});

describe('parseConfig errors', () => {
  it('names the path of an unknown provider type', () => {
    assert.throws(() => parseConfig('providers:\n  local:\n    type: llama-magic\n', {}), /^Error: invalid configuration at 'providers\.local(\.type)?': /);
  });

  it('names the path of a bad URL', () => {
    assert.throws(() => parseConfig('providers:\n  local:\n    type: openai-compatible\n    baseUrl: not a url\n', {}), /^Error: invalid configuration at 'providers\.local\.baseUrl': /);
  });

  it('names the path of a bad server or model setting', () => {
    assert.throws(() => parseConfig('server:\n  port: 70000\n', {}), /^Error: invalid configuration at 'server\.port': /);
    assert.throws(() => parseConfig('server:\n  logLevel: loud\n', {}), /^Error: invalid configuration at 'server\.logLevel': /);
    assert.throws(() => parseConfig(`${provider()}models:\n  - provider: local\n`, {}), /^Error: invalid configuration at 'models\.0\.id': /);
  });

  it('rejects YAML that does not parse', () => {
    assert.throws(() => parseConfig('server:\n  port: [8080\n', {}));
  });
});

describe('catalogEntries', () => {
  const entries = (models: string, env: NodeJS.ProcessEnv = {}) => catalogEntries(parseConfig(`${provider()}models:\n${models}`, env));

  it('defaults the name, provider name and upstream model to what is configured', () => {
    const [entry] = entries('  - id: llama3.2\n    provider: local\n');
    assert.equal(entry?.id, 'llama3.2');
    assert.equal(entry?.kind, 'text');
    assert.equal(entry?.name, 'llama3.2');
    assert.equal(entry?.providerName, 'local');
    assert.equal(entry?.provider, 'local');
    assert.equal(entry?.upstreamModel, 'llama3.2');
    assert.equal(entry?.streaming, true);
    assert.deepEqual(entry?.inputModalities, ['TEXT']);
    assert.deepEqual(entry?.outputModalities, ['TEXT']);
  });

  it('takes the family from the ID, else the first alias that implies one, else anthropic; an explicit family wins', () => {
    const list = entries(
      '  - id: meta.llama3-1-8b-instruct-v1:0\n    provider: local\n' +
        '  - id: local-a\n    provider: local\n    aliases: [plain, mistral.mistral-7b-instruct-v0:2, meta.llama3-1-8b-instruct-v1:1]\n' +
        '  - id: local-b\n    provider: local\n' +
        '  - id: anthropic.claude-3-haiku-20240307-v1:0\n    provider: local\n    family: meta\n',
    );
    assert.deepEqual(
      list.map((entry) => entry.family),
      ['meta', 'mistral', 'anthropic', 'meta'],
    );
  });

  it('lists IMAGE as an input modality when the model takes images', () => {
    const [withImages, explicit] = entries(
      '  - id: llava\n    provider: local\n    capabilities: { images: true }\n' +
        '  - id: custom\n    provider: local\n    capabilities: { images: true }\n    inputModalities: [TEXT]\n',
    );
    assert.deepEqual(withImages?.inputModalities, ['TEXT', 'IMAGE']);
    assert.deepEqual(explicit?.inputModalities, ['TEXT']);
  });

  it('fills embedding-model defaults', () => {
    const [entry] = entries('  - id: my-embedder\n    provider: local\n    kind: embedding\n    streaming: true\n');
    assert.equal(entry?.kind, 'embedding');
    assert.deepEqual(entry?.outputModalities, ['EMBEDDING']);
    assert.equal(entry?.streaming, false);
    assert.equal(entry?.family, 'amazon-titan-embed-v2');
  });
});
