/**
 * The Ollama provider through the real server and @aws-sdk/client-bedrock-runtime, in front of a
 * local server replaying Ollama's recorded responses (src/providers/ollama/__fixtures__).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConverseCommand, ConverseStreamCommand, CountTokensCommand } from '@aws-sdk/client-bedrock-runtime';
import { converseEvents, rejectsWithName, textStreamEvents, withoutLatency } from '../support/bedrock-runtime-client.js';
import { fixture, jsonReply, startReplayUpstream, streamReply } from '../support/replay-upstream.js';
import { useProviderServer } from '../support/provider-test-server.js';

const fixtures = fileURLToPath(new URL('../../src/providers/ollama/__fixtures__/', import.meta.url));
const hello = [{ role: 'user' as const, content: [{ text: 'What is granite?' }] }];
const toolConfig = {
  tools: [{ toolSpec: { name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { json: { type: 'object', properties: { rock: { type: 'string' } } } } } }],
};

const { upstream, client } = useProviderServer(
  () =>
    startReplayUpstream((request) => {
      const body = request.body as { model?: string; stream?: boolean; tools?: unknown; options?: { num_predict?: number } };
      if (body.model === 'rate-limited') return jsonReply(fixture(fixtures, 'rate-limited.json'), 429, { 'retry-after': '3' });
      if (body.options?.num_predict === 1) return jsonReply(fixture(fixtures, 'count-tokens.json'));
      const name = body.tools ? 'tool-call' : 'text';
      return body.stream ? streamReply(fixture(fixtures, `${name}.chunks.txt`), 'application/x-ndjson') : jsonReply(fixture(fixtures, `${name}.json`));
    }),
  (upstream) => ({
    providers: `
  ollama:
    type: ollama
    baseUrl: ${upstream.url}`,
    models: `
  - { id: llama3.2, provider: ollama, upstreamModel: "llama3.2:3b", aliases: [meta.llama3-2-3b-instruct-v1:0] }
  - { id: ollama.rate-limited, provider: ollama, upstreamModel: rate-limited }`,
  }),
);

describe('Ollama through Converse and ConverseStream', () => {
  it('answers Converse through a Bedrock alias', async () => {
    const response = await client().send(
      new ConverseCommand({ modelId: 'meta.llama3-2-3b-instruct-v1:0', messages: hello, inferenceConfig: { maxTokens: 64, temperature: 0.2 } }),
    );
    assert.deepEqual(response.output?.message, { role: 'assistant', content: [{ text: 'Granite is a coarse-grained igneous rock.' }] });
    assert.equal(response.stopReason, 'end_turn');
    assert.deepEqual(response.usage, { inputTokens: 31, outputTokens: 11, totalTokens: 42 });
    const request = upstream.requests.at(-1);
    assert.equal(request?.path, '/api/chat');
    assert.deepEqual(request?.body, {
      model: 'llama3.2:3b',
      messages: [{ role: 'user', content: 'What is granite?' }],
      stream: false,
      options: { temperature: 0.2, num_predict: 64 },
    });
  });

  it('streams NDJSON text through ConverseStream', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'llama3.2', messages: hello }));
    assert.deepEqual(withoutLatency(await converseEvents(response.stream)), textStreamEvents(['Granite', ' is a coarse-grained', ' igneous rock.'], 'max_tokens', { inputTokens: 31, outputTokens: 11, totalTokens: 42 }));
  });

  it('streams whole tool calls', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'llama3.2', messages: hello, toolConfig }));
    const events = await converseEvents(response.stream);
    const starts = events.flatMap((event) => (event.contentBlockStart?.start?.toolUse ? [event.contentBlockStart.start.toolUse.name] : []));
    assert.deepEqual(starts, ['get_rock_hardness', 'get_rock_hardness']);
    const inputs = events.flatMap((event) => (event.contentBlockDelta?.delta?.toolUse ? [event.contentBlockDelta.delta.toolUse.input] : []));
    assert.deepEqual(inputs, ['{"rock":"granite"}', '{"rock":"basalt"}']);
    assert.equal(events.find((event) => event.messageStop)?.messageStop?.stopReason, 'tool_use');
  });

  it('counts tokens from a one-token generation', async () => {
    const response = await client().send(new CountTokensCommand({ modelId: 'llama3.2', input: { converse: { messages: hello } } }));
    assert.equal(response.inputTokens, 27);
  });

  it('answers a rate limit with ThrottlingException', async () => {
    await rejectsWithName(client().send(new ConverseCommand({ modelId: 'ollama.rate-limited', messages: hello })), 'ThrottlingException');
  });
});
