/**
 * The OpenAI provider through the real server and @aws-sdk/client-bedrock-runtime, in front of a
 * local server replaying OpenAI's recorded responses (src/providers/openai/__fixtures__): Chat
 * Completions (`api: chat`) and the Responses API (`api: responses`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { converseEvents, rejectsWithName, textStreamEvents, withoutLatency } from '../support/bedrock-runtime-client.js';
import { routeByModel, startFixtureUpstream } from '../support/fixture-upstream.js';
import { useProviderServer } from '../support/provider-test-server.js';

const hello = [{ role: 'user' as const, content: [{ text: 'What is granite?' }] }];
const toolConfig = {
  tools: [{ toolSpec: { name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { json: { type: 'object', properties: { rock: { type: 'string' } } } } } }],
};
const callId = 'call_Xk2nq8RbT1vL0pQe5sYdHw3M';

const { upstream, client } = useProviderServer(
  () =>
    startFixtureUpstream(
      new URL('../../src/providers/openai/__fixtures__/', import.meta.url),
      routeByModel({ 'rate-limited': { fixture: 'rate-limited.json', status: 429, headers: { 'retry-after': '20' } } }),
    ),
  (upstream) => ({
    providers: `
  openai:
    type: openai
    baseUrl: ${upstream.url}/v1
    apiKey: sk-conformance-openai
    organization: org-outcrop
  openai-responses:
    type: openai
    api: responses
    baseUrl: ${upstream.url}/v1
    apiKey: sk-conformance-openai`,
    models: `
  - { id: openai.chat, provider: openai, upstreamModel: chat-text }
  - { id: openai.chat-tools, provider: openai, upstreamModel: chat-tool-call }
  - { id: openai.rate-limited, provider: openai, upstreamModel: rate-limited }
  - { id: openai.responses, provider: openai-responses, upstreamModel: responses-text }
  - { id: openai.responses-tools, provider: openai-responses, upstreamModel: responses-tool-call }`,
  }),
);

describe('OpenAI Chat Completions through Converse and ConverseStream', () => {
  it('answers Converse, sending OpenAI the key, organization and max_completion_tokens', async () => {
    const response = await client().send(
      new ConverseCommand({ modelId: 'openai.chat', system: [{ text: 'You are a geologist.' }], messages: hello, inferenceConfig: { maxTokens: 64 } }),
    );
    assert.deepEqual(response.output?.message, { role: 'assistant', content: [{ text: 'Granite is a coarse-grained igneous rock.' }] });
    assert.equal(response.stopReason, 'end_turn');
    assert.deepEqual(response.usage, { inputTokens: 24, outputTokens: 10, totalTokens: 34 });
    const request = upstream.requests.at(-1);
    assert.equal(request?.path, '/v1/chat/completions');
    assert.equal(request?.headers.authorization, 'Bearer sk-conformance-openai');
    assert.equal(request?.headers['openai-organization'], 'org-outcrop');
    assert.deepEqual(request?.body, {
      model: 'chat-text',
      messages: [
        { role: 'system', content: 'You are a geologist.' },
        { role: 'user', content: 'What is granite?' },
      ],
      max_completion_tokens: 64,
    });
  });

  it('streams a tool call through ConverseStream', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'openai.chat-tools', messages: hello, toolConfig }));
    assert.deepEqual(withoutLatency(await converseEvents(response.stream)), [
      { messageStart: { role: 'assistant' } },
      { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: callId, name: 'get_rock_hardness' } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{"rock":' } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '"granite"}' } } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'tool_use' } },
      { metadata: { usage: { inputTokens: 71, outputTokens: 18, totalTokens: 89 } } },
    ]);
  });

  it("answers OpenAI's rate limit with ThrottlingException", async () => {
    const failure = await rejectsWithName(client().send(new ConverseCommand({ modelId: 'openai.rate-limited', messages: hello })), 'ThrottlingException');
    assert.equal(failure.$metadata?.httpStatusCode, 429);
  });
});

describe('OpenAI Responses API through Converse and ConverseStream', () => {
  it('answers Converse from /v1/responses', async () => {
    const response = await client().send(
      new ConverseCommand({ modelId: 'openai.responses', system: [{ text: 'You are a geologist.' }], messages: hello, inferenceConfig: { maxTokens: 64 } }),
    );
    assert.deepEqual(response.output?.message, { role: 'assistant', content: [{ text: 'Granite is a coarse-grained igneous rock.' }] });
    assert.deepEqual(response.usage, { inputTokens: 21, outputTokens: 10, totalTokens: 31 });
    const request = upstream.requests.at(-1);
    assert.equal(request?.path, '/v1/responses');
    assert.deepEqual(request?.body, {
      model: 'responses-text',
      instructions: 'You are a geologist.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'What is granite?' }] }],
      store: false,
      max_output_tokens: 64,
    });
  });

  it('streams text through ConverseStream', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'openai.responses', messages: hello }));
    assert.deepEqual(withoutLatency(await converseEvents(response.stream)), textStreamEvents(['Granite', ' is a coarse-grained igneous rock.'], 'end_turn', { inputTokens: 21, outputTokens: 10, totalTokens: 31 }));
  });

  it('returns reasoning and a tool call, and streams them', async () => {
    const response = await client().send(new ConverseCommand({ modelId: 'openai.responses-tools', messages: hello, toolConfig }));
    assert.equal(response.stopReason, 'tool_use');
    assert.deepEqual(response.output?.message?.content?.at(-1), { toolUse: { toolUseId: callId, name: 'get_rock_hardness', input: { rock: 'granite' } } });
    assert.equal(response.output?.message?.content?.[0]?.reasoningContent?.reasoningText?.text, '**Looking up hardness**\n\nThe user wants the Mohs hardness of granite.');

    const streamed = await client().send(new ConverseStreamCommand({ modelId: 'openai.responses-tools', messages: hello, toolConfig }));
    const events = await converseEvents(streamed.stream);
    assert.deepEqual(
      events.filter((event) => event.contentBlockStart),
      [{ contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: callId, name: 'get_rock_hardness' } } } }],
    );
    assert.equal(
      events.map((event) => event.contentBlockDelta?.delta?.toolUse?.input ?? '').join(''),
      '{"rock":"granite"}',
    );
    assert.deepEqual(events.at(-2), { messageStop: { stopReason: 'tool_use' } });
  });
});
