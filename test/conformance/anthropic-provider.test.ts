/**
 * The Anthropic provider through the real server and @aws-sdk/client-bedrock-runtime, in front of a
 * local server replaying Anthropic's recorded responses (src/providers/anthropic/__fixtures__).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConverseCommand, ConverseStreamCommand, CountTokensCommand } from '@aws-sdk/client-bedrock-runtime';
import { converseEvents, rejectsWithName, textStreamEvents, withoutLatency } from '../support/bedrock-runtime-client.js';
import { fixture, jsonReply, startReplayUpstream, streamReply } from '../support/replay-upstream.js';
import { useProviderServer } from '../support/provider-test-server.js';

const fixtures = fileURLToPath(new URL('../../src/providers/anthropic/__fixtures__/', import.meta.url));
const hello = [{ role: 'user' as const, content: [{ text: 'What is granite?' }] }];
const toolConfig = {
  tools: [{ toolSpec: { name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { json: { type: 'object', properties: { rock: { type: 'string' } } } } } }],
  toolChoice: { any: {} },
};

const { upstream, client } = useProviderServer(
  () =>
    startReplayUpstream((request) => {
      const body = request.body as { model?: string; stream?: boolean; tools?: unknown };
      if (request.path === '/v1/messages/count_tokens') return jsonReply(fixture(fixtures, 'count-tokens.json'));
      if (body.model === 'rate-limited') return jsonReply(fixture(fixtures, 'rate-limited.json'), 429, { 'retry-after': '7' });
      const name = body.tools ? 'tool-call' : 'text';
      return body.stream ? streamReply(fixture(fixtures, `${name}.chunks.txt`), 'text/event-stream') : jsonReply(fixture(fixtures, `${name}.json`));
    }),
  (upstream) => ({
    providers: `
  anthropic:
    type: anthropic
    baseUrl: ${upstream.url}
    apiKey: sk-ant-conformance`,
    models: `
  - { id: anthropic.claude-sonnet-4-20250514-v1:0, provider: anthropic, upstreamModel: claude-sonnet-4-20250514, capabilities: { images: true } }
  - { id: anthropic.rate-limited, provider: anthropic, upstreamModel: rate-limited }`,
  }),
);

describe('Anthropic through Converse and ConverseStream', () => {
  it('answers Converse, turning cachePoint blocks into cache_control and reporting cache reads', async () => {
    const response = await client().send(
      new ConverseCommand({
        modelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
        system: [{ text: 'You are a geologist.' }, { cachePoint: { type: 'default' } }],
        messages: [{ role: 'user', content: [{ text: 'What is granite?' }, { cachePoint: { type: 'default' } }] }],
        inferenceConfig: { maxTokens: 64 },
      }),
    );
    assert.deepEqual(response.output?.message, { role: 'assistant', content: [{ text: 'Granite is a coarse-grained igneous rock.' }] });
    assert.equal(response.stopReason, 'end_turn');
    assert.deepEqual(response.usage, { inputTokens: 21, outputTokens: 12, totalTokens: 33, cacheReadInputTokens: 1024 });
    const request = upstream.requests.at(-1);
    assert.equal(request?.path, '/v1/messages');
    assert.equal(request?.headers['x-api-key'], 'sk-ant-conformance');
    assert.equal(request?.headers['anthropic-version'], '2023-06-01');
    assert.deepEqual(request?.body, {
      model: 'claude-sonnet-4-20250514',
      max_tokens: 64,
      system: [{ type: 'text', text: 'You are a geologist.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is granite?', cache_control: { type: 'ephemeral' } }] }],
    });
  });

  it('streams text through ConverseStream, with cache writes in the metadata', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'anthropic.claude-sonnet-4-20250514-v1:0', messages: hello }));
    assert.deepEqual(withoutLatency(await converseEvents(response.stream)), textStreamEvents(['Granite is a coarse-grained', ' igneous rock.'], 'end_turn', { inputTokens: 21, outputTokens: 12, totalTokens: 33, cacheWriteInputTokens: 2048 }));
  });

  it('streams a tool call', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'anthropic.claude-sonnet-4-20250514-v1:0', messages: hello, toolConfig }));
    const events = await converseEvents(response.stream);
    assert.deepEqual(events.find((event) => event.contentBlockStart)?.contentBlockStart, {
      contentBlockIndex: 2,
      start: { toolUse: { toolUseId: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_rock_hardness' } },
    });
    const input = events.flatMap((event) => (event.contentBlockDelta?.delta?.toolUse ? [event.contentBlockDelta.delta.toolUse.input] : [])).join('');
    assert.deepEqual(JSON.parse(input), { rock: 'granite' });
    assert.equal(events.find((event) => event.messageStop)?.messageStop?.stopReason, 'tool_use');
    assert.deepEqual((upstream.requests.at(-1)?.body as { tool_choice?: unknown } | undefined)?.tool_choice, { type: 'any' });
  });

  it('counts tokens with count_tokens', async () => {
    const response = await client().send(
      new CountTokensCommand({ modelId: 'anthropic.claude-sonnet-4-20250514-v1:0', input: { converse: { messages: hello } } }),
    );
    assert.equal(response.inputTokens, 2095);
  });

  it('answers a rate limit with ThrottlingException', async () => {
    await rejectsWithName(client().send(new ConverseCommand({ modelId: 'anthropic.rate-limited', messages: hello })), 'ThrottlingException');
  });
});
