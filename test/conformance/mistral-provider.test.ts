/**
 * The Mistral provider through the real server and @aws-sdk/client-bedrock-runtime, in front of a
 * local server replaying Mistral's recorded responses (src/providers/mistral/__fixtures__).
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
  toolChoice: { any: {} },
};

const { upstream, client } = useProviderServer(
  () =>
    startFixtureUpstream(
      new URL('../../src/providers/mistral/__fixtures__/', import.meta.url),
      routeByModel({ 'rate-limited': { fixture: 'rate-limited.json', status: 429, headers: { 'retry-after': '2' } } }),
    ),
  (upstream) => ({
    providers: `
  mistral:
    type: mistral
    baseUrl: ${upstream.url}/v1
    apiKey: mistral-conformance-key`,
    models: `
  - { id: mistral.text, provider: mistral, upstreamModel: text, family: mistral-chat }
  - { id: mistral.tools, provider: mistral, upstreamModel: tool-call, family: mistral-chat }
  - { id: mistral.rate-limited, provider: mistral, upstreamModel: rate-limited }`,
  }),
);

describe('Mistral through Converse and ConverseStream', () => {
  it('answers Converse, sending random_seed from additionalModelRequestFields', async () => {
    const response = await client().send(
      new ConverseCommand({ modelId: 'mistral.text', messages: hello, inferenceConfig: { maxTokens: 64 }, additionalModelRequestFields: { random_seed: 7 } }),
    );
    assert.deepEqual(response.output?.message, { role: 'assistant', content: [{ text: 'Granite is a coarse-grained igneous rock.' }] });
    assert.equal(response.stopReason, 'end_turn');
    assert.deepEqual(response.usage, { inputTokens: 15, outputTokens: 12, totalTokens: 27 });
    const request = upstream.requests.at(-1);
    assert.equal(request?.path, '/v1/chat/completions');
    assert.equal(request?.headers.authorization, 'Bearer mistral-conformance-key');
    assert.deepEqual(request?.body, { model: 'text', messages: [{ role: 'user', content: 'What is granite?' }], max_tokens: 64, random_seed: 7 });
  });

  it('streams text through ConverseStream', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'mistral.text', messages: hello }));
    assert.deepEqual(withoutLatency(await converseEvents(response.stream)), textStreamEvents(['Granite', ' is a coarse-grained igneous rock.'], 'end_turn', { inputTokens: 15, outputTokens: 12, totalTokens: 27 }));
  });

  it("streams a tool call, and sends the client's toolUseId back as a Mistral ID", async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'mistral.tools', messages: hello, toolConfig }));
    assert.deepEqual(withoutLatency(await converseEvents(response.stream)), [
      { messageStart: { role: 'assistant' } },
      { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'D681PevKs', name: 'get_rock_hardness' } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{"rock": "granite"}' } } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'tool_use' } },
      { metadata: { usage: { inputTokens: 92, outputTokens: 19, totalTokens: 111 } } },
    ]);
    assert.equal(upstream.requests.at(-1)?.body.tool_choice, 'any');

    await client().send(
      new ConverseCommand({
        modelId: 'mistral.text',
        messages: [
          ...hello,
          { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_rock_hardness', input: { rock: 'granite' } } }] },
          { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', content: [{ text: 'Mohs 6' }] } }] },
        ],
        toolConfig: { tools: toolConfig.tools },
      }),
    );
    const messages = upstream.requests.at(-1)?.body.messages as { role: string; tool_calls?: { id: string }[]; tool_call_id?: string }[];
    const sentId = messages[1]?.tool_calls?.[0]?.id;
    assert.match(sentId ?? '', /^[a-zA-Z0-9]{9}$/);
    assert.equal(messages[2]?.tool_call_id, sentId);
  });

  it("answers Mistral's rate limit with ThrottlingException", async () => {
    const failure = await rejectsWithName(client().send(new ConverseStreamCommand({ modelId: 'mistral.rate-limited', messages: hello })), 'ThrottlingException');
    assert.equal(failure.$metadata?.httpStatusCode, 429);
  });
});
