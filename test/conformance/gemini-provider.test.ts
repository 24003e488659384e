/**
 * The Gemini provider through the real server and @aws-sdk/client-bedrock-runtime, in front of a
 * local server replaying Gemini's recorded responses (src/providers/gemini/__fixtures__).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConverseCommand, ConverseStreamCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { converseEvents, rejectsWithName, textStreamEvents, withoutLatency } from '../support/bedrock-runtime-client.js';
import { fixture, jsonReply, startReplayUpstream, streamReply } from '../support/replay-upstream.js';
import { useProviderServer } from '../support/provider-test-server.js';

const fixtures = fileURLToPath(new URL('../../src/providers/gemini/__fixtures__/', import.meta.url));
const hello = [{ role: 'user' as const, content: [{ text: 'What is granite?' }] }];
const toolConfig = {
  tools: [{ toolSpec: { name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { json: { type: 'object', properties: { rock: { type: 'string' } } } } } }],
};

const { upstream, client } = useProviderServer(
  () =>
    startReplayUpstream((request) => {
      const body = request.body as { tools?: unknown };
      if (request.path.startsWith('/v1beta/models/rate-limited:')) return jsonReply(fixture(fixtures, 'rate-limited.json'), 429);
      if (request.path.endsWith(':batchEmbedContents')) return jsonReply(fixture(fixtures, 'embeddings.json'));
      const name = body.tools ? 'tool-call' : 'text';
      return request.path.includes(':streamGenerateContent') ? streamReply(fixture(fixtures, `${name}.chunks.txt`), 'text/event-stream') : jsonReply(fixture(fixtures, `${name}.json`));
    }),
  (upstream) => ({
    providers: `
  gemini:
    type: gemini
    baseUrl: ${upstream.url}
    apiKey: AIza-conformance`,
    models: `
  - { id: gemini-2.5-flash, provider: gemini, capabilities: { images: true, documents: true } }
  - { id: gemini.rate-limited, provider: gemini, upstreamModel: rate-limited }
  - { id: gemini-embedding-001, kind: embedding, provider: gemini, family: cohere-embed, dimensions: 4 }`,
  }),
);

describe('Gemini through Converse and ConverseStream', () => {
  it('answers Converse', async () => {
    const response = await client().send(
      new ConverseCommand({ modelId: 'gemini-2.5-flash', system: [{ text: 'You are a geologist.' }], messages: hello, inferenceConfig: { maxTokens: 64 } }),
    );
    assert.deepEqual(response.output?.message, { role: 'assistant', content: [{ text: 'Granite is a coarse-grained igneous rock.' }] });
    assert.equal(response.stopReason, 'end_turn');
    assert.deepEqual(response.usage, { inputTokens: 6, outputTokens: 34, totalTokens: 40, cacheReadInputTokens: 1024 });
    const request = upstream.requests.at(-1);
    assert.equal(request?.path, '/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(request?.headers['x-goog-api-key'], 'AIza-conformance');
    assert.deepEqual(request?.body, {
      systemInstruction: { parts: [{ text: 'You are a geologist.' }] },
      contents: [{ role: 'user', parts: [{ text: 'What is granite?' }] }],
      generationConfig: { maxOutputTokens: 64 },
    });
  });

  it('streams text through ConverseStream', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'gemini-2.5-flash', messages: hello }));
    assert.deepEqual(withoutLatency(await converseEvents(response.stream)), textStreamEvents(['Granite is', ' a coarse-grained igneous rock.'], 'max_tokens', { inputTokens: 6, outputTokens: 9, totalTokens: 15 }));
  });

  it('returns a function call with a generated tool-use ID', async () => {
    const response = await client().send(new ConverseCommand({ modelId: 'gemini-2.5-flash', messages: hello, toolConfig }));
    assert.equal(response.stopReason, 'tool_use');
    const toolUse = response.output?.message?.content?.find((block) => block.toolUse)?.toolUse;
    assert.equal(toolUse?.name, 'get_rock_hardness');
    assert.deepEqual(toolUse?.input, { rock: 'granite' });
    assert.match(toolUse?.toolUseId ?? '', /^tooluse_[A-Za-z0-9_-]{22}$/);
  });

  it('embeds through InvokeModel with a Cohere Embed body', async () => {
    const response = await client().send(
      new InvokeModelCommand({ modelId: 'gemini-embedding-001', body: JSON.stringify({ texts: ['granite', 'basalt'], input_type: 'search_query' }) }),
    );
    const body = JSON.parse(new TextDecoder().decode(response.body)) as { embeddings: number[][] };
    assert.deepEqual(body.embeddings, [
      [0.0131, -0.0072, 0.0254, -0.0418],
      [0.0207, 0.0096, -0.0311, 0.0059],
    ]);
    const request = upstream.requests.at(-1);
    assert.equal(request?.path, '/v1beta/models/gemini-embedding-001:batchEmbedContents');
    assert.equal((request?.body as { requests: { taskType: string }[] } | undefined)?.requests[0]?.taskType, 'RETRIEVAL_QUERY');
  });

  it('answers a rate limit with ThrottlingException', async () => {
    await rejectsWithName(client().send(new ConverseCommand({ modelId: 'gemini.rate-limited', messages: hello })), 'ThrottlingException');
  });
});
