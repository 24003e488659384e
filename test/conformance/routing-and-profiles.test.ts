import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BedrockClient,
  CreateInferenceProfileCommand,
  DeleteInferenceProfileCommand,
  GetInferenceProfileCommand,
  ListInferenceProfilesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  paginateListInferenceProfiles,
} from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand, type ConverseStreamOutput, ConverseStreamCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import pino from 'pino';
import { parseConfig } from '../../src/config/config.js';
import type { UsageRecord } from '../../src/core/models/inference-profiles/inference-profile.js';
import { type OutcropServer, startOutcrop } from '../../src/server/outcrop.js';
import { type FakeUpstream, startFakeUpstream } from '../support/fake-openai-upstream.js';
import { testCredentials } from '../support/test-server.js';

const credentials = { accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey };
const hello = [{ role: 'user' as const, content: [{ text: 'What is granite?' }] }];
const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Started {
  server: OutcropServer;
  usage: UsageRecord[];
  bedrock: BedrockClient;
  runtime: BedrockRuntimeClient;
}

async function start(yaml: string, dataDir: string): Promise<Started> {
  const config = parseConfig(yaml);
  config.server.dataDir = dataDir;
  const usage: UsageRecord[] = [];
  const server = await startOutcrop({
    config,
    logger: pino({ level: 'silent' }),
    onUsage: (record) => usage.push(record),
    env: { OUTCROP_ROOT_ACCESS_KEY_ID: credentials.accessKeyId, OUTCROP_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey },
  });
  return {
    server,
    usage,
    bedrock: new BedrockClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 }),
    runtime: new BedrockRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 }),
  };
}

async function rejects(promise: Promise<unknown>, name: string, status: number): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    const failure = error as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(failure.name, name, `expected ${name}, got ${failure.name}: ${failure.message}`);
    assert.equal(failure.$metadata?.httpStatusCode, status);
    return failure;
  }
  assert.fail(`expected ${name}`);
}

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<ConverseStreamOutput[]> {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  return events;
}

const chatRequests = (upstream: FakeUpstream) => upstream.requests.filter((request) => request.path.endsWith('/chat/completions'));

describe('routing over deployments, through the real server', () => {
  let primary: FakeUpstream;
  let backup: FakeUpstream;
  let dataDir: string;
  let outcrop: Started;

  before(async () => {
    primary = await startFakeUpstream();
    backup = await startFakeUpstream();
    dataDir = mkdtempSync(join(tmpdir(), 'outcrop-routing-'));
    const dead = await closedPort();
    const routed = (id: string, first: string, provider = 'primary') =>
      `  - { id: ${id}, providerName: Outcrop, deployments: [{ provider: ${provider}, upstreamModel: ${first} }, { provider: backup, upstreamModel: text, priority: 1 }] }`;
    outcrop = await start(
      `
server: { port: 0, host: 127.0.0.1 }
providers:
  primary: { type: openai-compatible, baseUrl: "${primary.url}", timeoutMs: 1500, idleTimeoutMs: 1500 }
  hasty: { type: openai-compatible, baseUrl: "${primary.url}", timeoutMs: 300 }
  dead: { type: openai-compatible, baseUrl: "http://127.0.0.1:${dead}/v1" }
  backup: { type: openai-compatible, baseUrl: "${backup.url}" }
routing: { maxRetryDelayMs: 50, baseDelayMs: 1 }
models:
${routed('routed.unavailable', 'unavailable')}
${routed('routed.throttled', 'rate-limited')}
${routed('routed.server-error', 'server-error')}
${routed('routed.unreachable', 'text', 'dead')}
${routed('routed.timeout', 'slow', 'hasty')}
${routed('routed.midstream', 'midstream-error')}
${routed('routed.bad-request', 'bad-request')}
  - id: routed.weighted
    aliases: ["${haiku}"]
    deployments: [{ provider: primary, upstreamModel: text, weight: 1 }, { provider: backup, upstreamModel: text, weight: 1 }]
`,
      dataDir,
    );
  });
  after(async () => {
    await outcrop.server.close();
    await primary.close();
    await backup.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const [model, failure] of [
    ['routed.unavailable', 'a 503'],
    ['routed.throttled', 'a 429'],
    ['routed.server-error', 'a 500'],
    ['routed.timeout', 'a timeout'],
  ] as const) {
    it(`answers from the second deployment when the first fails with ${failure}, and the client never sees it`, async () => {
      const before = { primary: chatRequests(primary).length, backup: chatRequests(backup).length };
      const response = await outcrop.runtime.send(new ConverseCommand({ modelId: model, messages: hello }));
      assert.equal(response.stopReason, 'end_turn');
      assert.ok(response.output?.message?.content?.[0]?.text);
      assert.equal(chatRequests(primary).length, before.primary + 1, 'the first deployment was tried');
      assert.equal(chatRequests(backup).length, before.backup + 1, 'the second one answered');
    });
  }

  it('fails over when the first deployment is unreachable, for streams too', async () => {
    const events = await collect((await outcrop.runtime.send(new ConverseStreamCommand({ modelId: 'routed.unreachable', messages: hello }))).stream);
    assert.deepEqual(Object.keys(events[0] ?? {}), ['messageStart']);
    assert.ok(events.some((event) => event.messageStop));
  });

  it('fails over a native InvokeModel call as well', async () => {
    const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] });
    const response = await outcrop.runtime.send(new InvokeModelCommand({ modelId: 'routed.unavailable', body }));
    assert.equal(JSON.parse(Buffer.from(response.body).toString('utf8')).type, 'message');
  });

  it('returns a ValidationException from the backend at once, without trying the second deployment', async () => {
    const before = chatRequests(backup).length;
    await rejects(outcrop.runtime.send(new ConverseCommand({ modelId: 'routed.bad-request', messages: hello })), 'ValidationException', 400);
    assert.equal(chatRequests(backup).length, before);
  });

  it('keeps a stream that failed after its first bytes on its deployment: the client gets the exception event', async () => {
    const before = chatRequests(backup).length;
    const response = await outcrop.runtime.send(new ConverseStreamCommand({ modelId: 'routed.midstream', messages: hello }));
    const events: ConverseStreamOutput[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of response.stream ?? []) events.push(event);
      })(),
      (error: Error) => error.name === 'ModelStreamErrorException' && /CUDA out of memory/.test(error.message),
    );
    assert.ok(events.some((event) => event.contentBlockDelta?.delta?.text === 'Basalt'), 'the text before the failure reached the client');
    assert.equal(chatRequests(backup).length, before, 'no switch after the first part');
  });

  it('spreads calls over equally weighted deployments', async () => {
    const before = { primary: chatRequests(primary).length, backup: chatRequests(backup).length };
    for (let index = 0; index < 40; index++) await outcrop.runtime.send(new ConverseCommand({ modelId: haiku, messages: hello }));
    const toPrimary = chatRequests(primary).length - before.primary;
    const toBackup = chatRequests(backup).length - before.backup;
    assert.equal(toPrimary + toBackup, 40);
    assert.ok(toPrimary >= 8 && toBackup >= 8, `primary ${toPrimary}, backup ${toBackup}`);
  });
});

describe('active health checks', () => {
  it('keep calls away from a provider whose health check fails', async () => {
    const backup = await startFakeUpstream();
    const dataDir = mkdtempSync(join(tmpdir(), 'outcrop-health-'));
    const dead = await closedPort();
    const outcrop = await start(
      `
server: { port: 0, host: 127.0.0.1 }
providers:
  dead: { type: openai-compatible, baseUrl: "http://127.0.0.1:${dead}/v1" }
  backup: { type: openai-compatible, baseUrl: "${backup.url}" }
routing: { maxAttempts: 1, healthCheck: { intervalMs: 60000, timeoutMs: 1000 } }
models:
  - { id: checked, deployments: [{ provider: dead, upstreamModel: text }, { provider: backup, upstreamModel: text, priority: 1 }] }
`,
      dataDir,
    );
    try {
      // The first round of checks runs at start; wait until it has reached the backup.
      for (let wait = 0; wait < 100 && !backup.requests.some((request) => request.path.endsWith('/models')); wait++) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 50));
      // With one attempt only, the call succeeds only if routing skipped the dead provider.
      const response = await outcrop.runtime.send(new ConverseCommand({ modelId: 'checked', messages: hello }));
      assert.equal(response.stopReason, 'end_turn');
    } finally {
      await outcrop.server.close();
      await backup.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('inference profiles through @aws-sdk/client-bedrock', () => {
  let upstream: FakeUpstream;
  let dataDir: string;
  let outcrop: Started;
  const yaml = (url: string) => `
server: { port: 0, host: 127.0.0.1, accountId: "123456789012" }
providers:
  fake: { type: openai-compatible, baseUrl: "${url}" }
models:
  - { id: outcrop.text, provider: fake, upstreamModel: text, providerName: Outcrop, aliases: ["${haiku}", "meta.llama3-1-8b-instruct-v1:0"] }
  - { id: outcrop.tools, provider: fake, upstreamModel: tool-call, providerName: Outcrop }
`;

  before(async () => {
    upstream = await startFakeUpstream();
    dataDir = mkdtempSync(join(tmpdir(), 'outcrop-profiles-'));
    outcrop = await start(yaml(upstream.url), dataDir);
  });
  after(async () => {
    await outcrop.server.close();
    await upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists and gets system-defined profiles for the catalog’s Bedrock model IDs', async () => {
    const listed = await outcrop.bedrock.send(new ListInferenceProfilesCommand({}));
    const ids = listed.inferenceProfileSummaries?.map((profile) => profile.inferenceProfileId);
    assert.deepEqual(ids, [`us.${haiku}`, 'us.meta.llama3-1-8b-instruct-v1:0']);
    const profile = await outcrop.bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: `us.${haiku}` }));
    assert.equal(profile.type, 'SYSTEM_DEFINED');
    assert.equal(profile.status, 'ACTIVE');
    assert.equal(profile.inferenceProfileArn, `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${haiku}`);
    assert.deepEqual(profile.models, [{ modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${haiku}` }]);
    assert.ok(profile.createdAt instanceof Date);
  });

  it('creates, gets, lists, tags, calls through and deletes an application profile', async () => {
    const created = await outcrop.bedrock.send(
      new CreateInferenceProfileCommand({
        inferenceProfileName: 'team search',
        description: 'Search team usage',
        modelSource: { copyFrom: `arn:aws:bedrock:us-east-1::foundation-model/${haiku}` },
        tags: [{ key: 'team', value: 'search' }],
      }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.status, 'ACTIVE');
    const arn = created.inferenceProfileArn as string;
    assert.match(arn, /^arn:aws:bedrock:us-east-1:123456789012:application-inference-profile\/[a-z0-9]{12}$/);
    const id = arn.split('/')[1] as string;

    const got = await outcrop.bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: id }));
    assert.equal(got.inferenceProfileName, 'team search');
    assert.equal(got.description, 'Search team usage');
    assert.equal(got.type, 'APPLICATION');
    assert.equal(got.inferenceProfileId, id);
    assert.deepEqual(got.models, [{ modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${haiku}` }]);

    const applications = await outcrop.bedrock.send(new ListInferenceProfilesCommand({ typeEquals: 'APPLICATION' }));
    assert.deepEqual(
      applications.inferenceProfileSummaries?.map((profile) => profile.inferenceProfileArn),
      [arn],
    );

    await outcrop.bedrock.send(new TagResourceCommand({ resourceARN: arn, tags: [{ key: 'env', value: 'prod' }] }));
    await outcrop.bedrock.send(new UntagResourceCommand({ resourceARN: arn, tagKeys: ['missing'] }));
    const tags = await outcrop.bedrock.send(new ListTagsForResourceCommand({ resourceARN: arn }));
    assert.deepEqual(tags.tags, [
      { key: 'team', value: 'search' },
      { key: 'env', value: 'prod' },
    ]);

    const before = upstream.requests.length;
    const response = await outcrop.runtime.send(new ConverseCommand({ modelId: arn, messages: hello }));
    assert.equal(response.stopReason, 'end_turn');
    assert.equal(upstream.requests[before]?.body.model, 'text', 'the call reached the copied model');
    assert.deepEqual(outcrop.usage.at(-1), {
      profileArn: arn,
      profileId: id,
      modelId: 'outcrop.text',
      inputTokens: response.usage?.inputTokens,
      outputTokens: response.usage?.outputTokens,
      tags: { team: 'search', env: 'prod' },
    });
    const events = await collect((await outcrop.runtime.send(new ConverseStreamCommand({ modelId: arn, messages: hello }))).stream);
    assert.ok(events.some((event) => event.metadata));
    assert.equal(outcrop.usage.length, 2, 'the stream was metered too');

    await outcrop.bedrock.send(new DeleteInferenceProfileCommand({ inferenceProfileIdentifier: arn }));
    await rejects(outcrop.bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: arn })), 'ResourceNotFoundException', 404);
    await rejects(outcrop.runtime.send(new ConverseCommand({ modelId: arn, messages: hello })), 'ValidationException', 400);
  });

  it('copies a system-defined profile', async () => {
    const created = await outcrop.bedrock.send(
      new CreateInferenceProfileCommand({
        inferenceProfileName: 'from-system',
        modelSource: { copyFrom: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${haiku}` },
      }),
    );
    const got = await outcrop.bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: created.inferenceProfileArn }));
    assert.deepEqual(got.models, [{ modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${haiku}` }]);
    await outcrop.bedrock.send(new DeleteInferenceProfileCommand({ inferenceProfileIdentifier: created.inferenceProfileArn }));
  });

  it('answers with Bedrock’s errors', async () => {
    const copyFrom = `arn:aws:bedrock:us-east-1::foundation-model/${haiku}`;
    await outcrop.bedrock.send(new CreateInferenceProfileCommand({ inferenceProfileName: 'taken', modelSource: { copyFrom } }));
    await rejects(outcrop.bedrock.send(new CreateInferenceProfileCommand({ inferenceProfileName: 'taken', modelSource: { copyFrom } })), 'ConflictException', 409);
    const invalid = await rejects(
      outcrop.bedrock.send(new CreateInferenceProfileCommand({ inferenceProfileName: 'no/slashes', modelSource: { copyFrom } })),
      'ValidationException',
      400,
    );
    assert.match(invalid.message, /inferenceProfileName/);
    await rejects(
      outcrop.bedrock.send(
        new CreateInferenceProfileCommand({ inferenceProfileName: 'unknown', modelSource: { copyFrom: 'arn:aws:bedrock:us-east-1::foundation-model/nobody.model-v1:0' } }),
      ),
      'ResourceNotFoundException',
      404,
    );
    await rejects(outcrop.bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'zzzzzzzzzzzz' })), 'ResourceNotFoundException', 404);
    await rejects(outcrop.bedrock.send(new DeleteInferenceProfileCommand({ inferenceProfileIdentifier: 'zzzzzzzzzzzz' })), 'ResourceNotFoundException', 404);
    await rejects(outcrop.bedrock.send(new DeleteInferenceProfileCommand({ inferenceProfileIdentifier: `us.${haiku}` })), 'ValidationException', 400);
    await rejects(
      outcrop.bedrock.send(new ListTagsForResourceCommand({ resourceARN: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/zzzzzzzzzzzz' })),
      'ResourceNotFoundException',
      404,
    );
  });

  it('paginates with maxResults and nextToken, as the SDK paginator does', async () => {
    const copyFrom = `arn:aws:bedrock:us-east-1::foundation-model/${haiku}`;
    for (const name of ['page-1', 'page-2', 'page-3']) {
      await outcrop.bedrock.send(new CreateInferenceProfileCommand({ inferenceProfileName: name, modelSource: { copyFrom } }));
    }
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListInferenceProfiles({ client: outcrop.bedrock, pageSize: 2 }, { typeEquals: 'APPLICATION' })) {
      pages++;
      names.push(...(page.inferenceProfileSummaries ?? []).map((profile) => profile.inferenceProfileName as string));
    }
    assert.deepEqual(names.slice(-3), ['page-1', 'page-2', 'page-3']);
    assert.ok(pages >= 2);
  });

  it('keeps application profiles across a restart (SQLite in the data directory)', async () => {
    const created = await outcrop.bedrock.send(
      new CreateInferenceProfileCommand({
        inferenceProfileName: 'durable',
        modelSource: { copyFrom: `arn:aws:bedrock:us-east-1::foundation-model/${haiku}` },
        tags: [{ key: 'keep', value: 'yes' }],
      }),
    );
    await outcrop.server.close();
    outcrop = await start(yaml(upstream.url), dataDir);
    const got = await outcrop.bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: created.inferenceProfileArn }));
    assert.equal(got.inferenceProfileName, 'durable');
    const tags = await outcrop.bedrock.send(new ListTagsForResourceCommand({ resourceARN: created.inferenceProfileArn }));
    assert.deepEqual(tags.tags, [{ key: 'keep', value: 'yes' }]);
    const response = await outcrop.runtime.send(new ConverseCommand({ modelId: created.inferenceProfileArn, messages: hello }));
    assert.equal(response.stopReason, 'end_turn');
  });
});
