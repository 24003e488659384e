/**
 * The Bedrock provider (Outcrop in front of Amazon Bedrock) through the real server and
 * @aws-sdk/client-bedrock-runtime, in front of a local fake Bedrock that verifies the operator's
 * SigV4 signature and replays recorded responses (src/providers/bedrock/__fixtures__).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConverseCommand, ConverseStreamCommand, CountTokensCommand } from '@aws-sdk/client-bedrock-runtime';
import { converseEvents, rejectsWithName, textStreamEvents, withoutLatency } from '../support/bedrock-runtime-client.js';
import { bedrockErrorReply, eventStreamReply, startFakeBedrock } from '../support/fake-bedrock.js';
import { fixture, jsonReply } from '../support/replay-upstream.js';
import { useProviderServer } from '../support/provider-test-server.js';

const fixtures = fileURLToPath(new URL('../../src/providers/bedrock/__fixtures__/', import.meta.url));
const hello = [{ role: 'user' as const, content: [{ text: 'What is granite?' }] }];
const operator = { accessKeyId: 'AKIAOPERATOR00000002', secretAccessKey: 'operator/conformance/secret/0123456789ab' };

const { upstream: bedrock, client } = useProviderServer(
  async () => {
    const started = await startFakeBedrock(operator);
    started.route = (request) => {
      if (request.path.includes('throttled')) return bedrockErrorReply(429, 'ThrottlingException', fixture(fixtures, 'throttling.json'));
      if (request.path.endsWith('/count-tokens')) return jsonReply(fixture(fixtures, 'count-tokens.json'));
      const body = request.body as { toolConfig?: unknown };
      const name = body.toolConfig ? 'tool-call' : 'text';
      return request.path.endsWith('/converse-stream') ? eventStreamReply(fixture(fixtures, `${name}.chunks.txt`)) : jsonReply(fixture(fixtures, `${name}.json`));
    };
    return started;
  },
  (upstream) => ({
    providers: `
  aws:
    type: bedrock
    region: us-west-2
    baseUrl: ${upstream.url}
    accessKeyId: ${operator.accessKeyId}
    secretAccessKey: ${operator.secretAccessKey}`,
    models: `
  - { id: upstream.claude-3-haiku, provider: aws, upstreamModel: "anthropic.claude-3-haiku-20240307-v1:0", aliases: ["anthropic.claude-3-5-haiku-20241022-v1:0"], capabilities: { images: true } }
  - { id: upstream.throttled, provider: aws, upstreamModel: throttled }`,
  }),
);

describe('Amazon Bedrock behind Outcrop', () => {
  it('forwards Converse signed with the operator credentials, cache points included', async () => {
    const verified = bedrock.verified;
    const response = await client().send(
      new ConverseCommand({
        modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
        system: [{ text: 'You are a geologist.' }, { cachePoint: { type: 'default' } }],
        messages: hello,
        inferenceConfig: { maxTokens: 64 },
      }),
    );
    assert.deepEqual(response.output?.message, { role: 'assistant', content: [{ text: 'Granite is a coarse-grained igneous rock.' }] });
    assert.deepEqual(response.usage, { inputTokens: 21, outputTokens: 12, totalTokens: 33, cacheReadInputTokens: 1024 });
    assert.equal(bedrock.verified, verified + 1);
    const request = bedrock.requests.at(-1);
    assert.equal(request?.path, '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
    assert.match(String(request?.headers.authorization), /Credential=AKIAOPERATOR00000002\/\d{8}\/us-west-2\/bedrock\/aws4_request/);
    assert.deepEqual(request?.body, {
      system: [{ text: 'You are a geologist.' }, { cachePoint: { type: 'default' } }],
      messages: [{ role: 'user', content: [{ text: 'What is granite?' }] }],
      inferenceConfig: { maxTokens: 64 },
    });
  });

  it('re-streams ConverseStream events', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'upstream.claude-3-haiku', messages: hello }));
    assert.deepEqual(withoutLatency(await converseEvents(response.stream)), textStreamEvents(['Granite is a coarse-grained', ' igneous rock.'], 'end_turn', { inputTokens: 21, outputTokens: 12, totalTokens: 33, cacheWriteInputTokens: 2048 }));
  });

  it('re-streams a tool use', async () => {
    const response = await client().send(
      new ConverseStreamCommand({
        modelId: 'upstream.claude-3-haiku',
        messages: hello,
        toolConfig: { tools: [{ toolSpec: { name: 'get_rock_hardness', inputSchema: { json: { type: 'object' } } } }], toolChoice: { auto: {} } },
      }),
    );
    const events = await converseEvents(response.stream);
    assert.deepEqual(events.find((event) => event.contentBlockStart)?.contentBlockStart?.start, {
      toolUse: { toolUseId: 'tooluse_W0nEwr2wS3mBHuSnQ7XzNA', name: 'get_rock_hardness' },
    });
    assert.equal(events.find((event) => event.messageStop)?.messageStop?.stopReason, 'tool_use');
  });

  it('counts tokens with CountTokens', async () => {
    const response = await client().send(new CountTokensCommand({ modelId: 'upstream.claude-3-haiku', input: { converse: { messages: hello } } }));
    assert.equal(response.inputTokens, 2095);
  });

  it("passes Bedrock's ThrottlingException through", async () => {
    const error = await rejectsWithName(client().send(new ConverseCommand({ modelId: 'upstream.throttled', messages: hello })), 'ThrottlingException');
    assert.equal(error.$metadata?.httpStatusCode, 429);
    assert.equal(error.message, 'Too many requests, please wait before trying again.');
  });
});
