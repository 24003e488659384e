/**
 * The Cohere provider through the real server and @aws-sdk/client-bedrock-runtime, in front of a
 * local server replaying Cohere's recorded v2 responses (src/providers/cohere/__fixtures__): chat
 * through Converse and ConverseStream, embeddings through InvokeModel with a Cohere Embed body.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConverseCommand, ConverseStreamCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { converseEvents, rejectsWithName, textStreamEvents, withoutLatency } from '../support/bedrock-runtime-client.js';
import { routeByModel, startFixtureUpstream } from '../support/fixture-upstream.js';
import { useProviderServer } from '../support/provider-test-server.js';

const fixtures = new URL('../../src/providers/cohere/__fixtures__/', import.meta.url);
const hello = [{ role: 'user' as const, content: [{ text: 'What is granite?' }] }];
const toolConfig = {
  tools: [{ toolSpec: { name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { json: { type: 'object', properties: { rock: { type: 'string' } } } } } }],
};

const { upstream, client } = useProviderServer(
  () => startFixtureUpstream(fixtures, routeByModel({ 'rate-limited': { fixture: 'rate-limited.json', status: 429, headers: { 'retry-after': '60' } } })),
  (upstream) => ({
    providers: `
  cohere:
    type: cohere
    baseUrl: ${upstream.url}/v2
    apiKey: co-conformance-key`,
    models: `
  - { id: cohere.text, provider: cohere, upstreamModel: chat-text, family: cohere-command-r }
  - { id: cohere.tools, provider: cohere, upstreamModel: chat-tool-call, family: cohere-command-r }
  - { id: cohere.rate-limited, provider: cohere, upstreamModel: rate-limited }
  - { id: cohere.embed-english-v3, kind: embedding, provider: cohere, upstreamModel: embed, dimensions: 8 }`,
  }),
);

describe('Cohere through Converse and ConverseStream', () => {
  it('answers Converse from /v2/chat', async () => {
    const response = await client().send(
      new ConverseCommand({ modelId: 'cohere.text', system: [{ text: 'You are a geologist.' }], messages: hello, inferenceConfig: { maxTokens: 64, topP: 0.9 } }),
    );
    assert.deepEqual(response.output?.message, { role: 'assistant', content: [{ text: 'Granite is a coarse-grained igneous rock.' }] });
    assert.equal(response.stopReason, 'end_turn');
    assert.deepEqual(response.usage, { inputTokens: 215, outputTokens: 10, totalTokens: 225 });
    const request = upstream.requests.at(-1);
    assert.equal(request?.path, '/v2/chat');
    assert.equal(request?.headers.authorization, 'Bearer co-conformance-key');
    assert.deepEqual(request?.body, {
      model: 'chat-text',
      messages: [
        { role: 'system', content: 'You are a geologist.' },
        { role: 'user', content: 'What is granite?' },
      ],
      max_tokens: 64,
      p: 0.9,
    });
  });

  it('streams text through ConverseStream', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'cohere.text', messages: hello }));
    assert.deepEqual(withoutLatency(await converseEvents(response.stream)), textStreamEvents(['Granite', ' is a coarse-grained igneous rock.'], 'end_turn', { inputTokens: 215, outputTokens: 10, totalTokens: 225 }));
  });

  it('returns the tool plan and a tool call, and streams them', async () => {
    const response = await client().send(new ConverseCommand({ modelId: 'cohere.tools', messages: hello, toolConfig }));
    assert.equal(response.stopReason, 'tool_use');
    assert.deepEqual(response.output?.message?.content, [
      { text: 'I will look up the hardness of granite.' },
      { toolUse: { toolUseId: 'get_rock_hardness_5n0rfh0q3vbq', name: 'get_rock_hardness', input: { rock: 'granite' } } },
    ]);

    const streamed = await client().send(new ConverseStreamCommand({ modelId: 'cohere.tools', messages: hello, toolConfig }));
    assert.deepEqual(withoutLatency(await converseEvents(streamed.stream)), [
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'I will look up' } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: ' the hardness of granite.' } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'get_rock_hardness_5n0rfh0q3vbq', name: 'get_rock_hardness' } } } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"rock":' } } } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '"granite"}' } } } },
      { contentBlockStop: { contentBlockIndex: 1 } },
      { messageStop: { stopReason: 'tool_use' } },
      { metadata: { usage: { inputTokens: 1012, outputTokens: 52, totalTokens: 1064 } } },
    ]);
  });

  it("answers Cohere's rate limit with ThrottlingException", async () => {
    const failure = await rejectsWithName(client().send(new ConverseCommand({ modelId: 'cohere.rate-limited', messages: hello })), 'ThrottlingException');
    assert.equal(failure.$metadata?.httpStatusCode, 429);
  });
});

describe('Cohere Embed through InvokeModel', () => {
  it('answers a Cohere Embed body with the vectors of /v2/embed, passing the input type', async () => {
    const response = await client().send(
      new InvokeModelCommand({
        modelId: 'cohere.embed-english-v3',
        contentType: 'application/json',
        accept: 'application/json',
        body: JSON.stringify({ texts: ['granite', 'basalt'], input_type: 'search_document' }),
      }),
    );
    const body = JSON.parse(Buffer.from(response.body).toString('utf8')) as { embeddings: number[][]; response_type: string; texts: string[] };
    const recorded = JSON.parse(readFileSync(new URL('embed.json', fixtures), 'utf8')) as { embeddings: { float: number[][] } };
    assert.equal(body.response_type, 'embeddings_floats');
    assert.deepEqual(body.texts, ['granite', 'basalt']);
    assert.deepEqual(body.embeddings, recorded.embeddings.float);
    const request = upstream.requests.at(-1);
    assert.equal(request?.path, '/v2/embed');
    assert.deepEqual(request?.body, { model: 'embed', texts: ['granite', 'basalt'], input_type: 'search_document', embedding_types: ['float'] });
  });
});
