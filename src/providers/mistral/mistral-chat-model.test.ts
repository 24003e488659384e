import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallOptions, LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { Provider } from '../../core/models/provider.js';
import { startFixtureUpstream } from '../../../test/support/fixture-upstream.js';
import { languageModelOf, useProviderUpstream } from '../../../test/support/provider-test-upstream.js';
import { collectParts, rejectsWithCode } from '../../../test/support/stream-parts.js';
import { toMistralToolCallId } from './convert-to-mistral-messages.js';
import { createMistralProvider, type MistralProviderOptions } from './mistral-provider.js';

const capabilities: ModelCapabilities = { images: true, documents: false, tools: true, systemPrompt: true };
const question: CallOptions = {
  prompt: [
    { role: 'system', content: [{ type: 'text', text: 'You are a geologist.' }] },
    { role: 'user', content: [{ type: 'text', text: 'What is granite?' }] },
  ],
};
const hardnessTool = { name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { type: 'object', properties: { rock: { type: 'string' } } } };

const { upstream, track } = useProviderUpstream(() => startFixtureUpstream(new URL('./__fixtures__/', import.meta.url)));

function provider(options: Partial<MistralProviderOptions> = {}): Provider {
  return track(createMistralProvider({ name: 'mistral', baseUrl: `${upstream.url}/v1`, apiKey: 'mistral-test-key', env: {}, ...options }));
}

function chat(modelId = 'mistral-small-latest'): LanguageModel {
  return languageModelOf(provider(), modelId, capabilities);
}

describe('Mistral chat', () => {
  it('posts to /v1/chat/completions; Mistral settings pass through extraBody and topK is dropped with a warning', async () => {
    upstream.respondWith('text.json');
    const result = await chat().generate({
      ...question,
      maxOutputTokens: 64,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      extraBody: { random_seed: 7, safe_prompt: true },
    });
    const [request] = upstream.requests;
    assert.equal(request?.path, '/v1/chat/completions');
    assert.equal(request?.headers.authorization, 'Bearer mistral-test-key');
    assert.deepEqual(request?.body, {
      model: 'mistral-small-latest',
      messages: [
        { role: 'system', content: 'You are a geologist.' },
        { role: 'user', content: 'What is granite?' },
      ],
      max_tokens: 64,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      random_seed: 7,
      safe_prompt: true,
    });
    assert.deepEqual(result.content, [{ type: 'text', text: 'Granite is a coarse-grained igneous rock.' }]);
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, { inputTokens: 15, outputTokens: 12 });
    assert.deepEqual(result.warnings, [{ setting: 'topK', details: 'Mistral has no top-k sampling; topK was ignored.' }]);
  });

  it('streams text without stream_options, usage from the last chunk', async () => {
    upstream.respondWith('text.chunks.txt');
    const { stream } = await chat().stream(question);
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 'text' },
      { type: 'text-delta', id: 'text', delta: 'Granite' },
      { type: 'text-delta', id: 'text', delta: ' is a coarse-grained igneous rock.' },
      { type: 'text-end', id: 'text' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 15, outputTokens: 12 } },
    ]);
    assert.equal(upstream.requests[0]?.body.stream, true);
    assert.equal('stream_options' in (upstream.requests[0]?.body ?? {}), false);
  });

  it("sends Bedrock tool use IDs as Mistral's 9-character IDs, images as image_url strings, tool_choice any", async () => {
    upstream.respondWith('text.json');
    const bedrockId = 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q';
    const mistralId = toMistralToolCallId(bedrockId);
    await chat('pixtral-large-latest').generate({
      prompt: [
        { role: 'user', content: [{ type: 'text', text: 'How hard is this?' }, { type: 'image', format: 'jpeg', data: new Uint8Array([255, 216]) }] },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: bedrockId, toolName: 'get_rock_hardness', input: { rock: 'granite' } }] },
        { role: 'user', content: [{ type: 'tool-result', toolCallId: bedrockId, content: [{ type: 'text', text: 'Mohs 6' }], isError: false }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Granite is' }] },
      ],
      tools: [hardnessTool],
      toolChoice: { type: 'required' },
    });
    assert.deepEqual(upstream.requests[0]?.body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'How hard is this?' }, { type: 'image_url', image_url: 'data:image/jpeg;base64,/9g=' }] },
      { role: 'assistant', content: '', tool_calls: [{ id: mistralId, type: 'function', function: { name: 'get_rock_hardness', arguments: '{"rock":"granite"}' } }] },
      { role: 'tool', tool_call_id: mistralId, name: 'get_rock_hardness', content: 'Mohs 6' },
      { role: 'assistant', content: 'Granite is', prefix: true },
    ]);
    assert.equal(upstream.requests[0]?.body.tool_choice, 'any');
    assert.deepEqual(upstream.requests[0]?.body.tools, [
      { type: 'function', function: { name: 'get_rock_hardness', description: 'Hardness of a rock', parameters: hardnessTool.inputSchema } },
    ]);
  });

  it('maps the other tool choices', async () => {
    const chatModel = chat();
    for (const toolChoice of [{ type: 'auto' }, { type: 'none' }, { type: 'tool', toolName: 'get_rock_hardness' }] as const) {
      upstream.respondWith('text.json');
      await chatModel.generate({ ...question, tools: [hardnessTool], toolChoice });
    }
    assert.deepEqual(
      upstream.requests.map((request) => request.body.tool_choice),
      ['auto', 'none', { type: 'function', function: { name: 'get_rock_hardness' } }],
    );
  });

  it('sends a response format as a strict json_schema response_format', async () => {
    upstream.respondWith('text.json');
    const schema = { type: 'object', properties: { rock: { type: 'string' }, mohs: { type: 'number' } }, required: ['rock', 'mohs'], additionalProperties: false };
    await chat().generate({ ...question, responseFormat: { type: 'json-schema', schema, name: 'rock info', description: 'A rock and its hardness' } });
    assert.deepEqual(upstream.requests[0]?.body.response_format, {
      type: 'json_schema',
      json_schema: { name: 'rock_info', schema, strict: true, description: 'A rock and its hardness' },
    });
  });

  it('sends a reasoning effort as reasoning_effort, max as xhigh with a warning', async () => {
    upstream.respondWith('text.json');
    upstream.respondWith('text.json');
    const medium = await chat().generate({ ...question, reasoningEffort: 'medium' });
    const max = await chat().generate({ ...question, reasoningEffort: 'max' });
    upstream.respondWith('text.chunks.txt');
    await collectParts((await chat().stream({ ...question, reasoningEffort: 'xhigh' })).stream);
    assert.deepEqual(
      upstream.requests.map((request) => request.body.reasoning_effort),
      ['medium', 'xhigh', 'xhigh'],
    );
    assert.deepEqual(medium.warnings, []);
    assert.deepEqual(max.warnings, [{ setting: 'reasoningEffort', details: "The backend's reasoning_effort has no effort level max; it was sent as xhigh." }]);
  });

  it('returns a tool call, and streams one sent whole without an index', async () => {
    upstream.respondWith('tool-call.json');
    const result = await chat('mistral-large-latest').generate({ ...question, tools: [hardnessTool] });
    assert.deepEqual(result.content, [{ type: 'tool-call', toolCallId: 'D681PevKs', toolName: 'get_rock_hardness', input: { rock: 'granite' } }]);
    assert.equal(result.finishReason, 'tool-calls');
    assert.deepEqual(result.usage, { inputTokens: 92, outputTokens: 19 });

    upstream.respondWith('tool-call.chunks.txt');
    const { stream } = await chat('mistral-large-latest').stream({ ...question, tools: [hardnessTool] });
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'tool-input-start', id: 'D681PevKs', toolName: 'get_rock_hardness' },
      { type: 'tool-input-delta', id: 'D681PevKs', delta: '{"rock": "granite"}' },
      { type: 'tool-input-end', id: 'D681PevKs' },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 92, outputTokens: 19 } },
    ]);
  });

  it('streams parallel tool calls sent in separate chunks without an index as separate calls', async () => {
    upstream.respondWith('parallel-tool-calls.chunks.txt');
    const { stream } = await chat('mistral-large-latest').stream({ ...question, tools: [hardnessTool] });
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'tool-input-start', id: 'k3Vb9QxT2', toolName: 'get_rock_hardness' },
      { type: 'tool-input-delta', id: 'k3Vb9QxT2', delta: '{"rock": "granite"}' },
      { type: 'tool-input-end', id: 'k3Vb9QxT2' },
      { type: 'tool-input-start', id: 'Pq7Lm2Zr8', toolName: 'get_rock_hardness' },
      { type: 'tool-input-delta', id: 'Pq7Lm2Zr8', delta: '{"rock": "basalt"}' },
      { type: 'tool-input-end', id: 'Pq7Lm2Zr8' },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 95, outputTokens: 38 } },
    ]);
  });

  it("returns Magistral's thinking chunks as reasoning", async () => {
    upstream.respondWith('reasoning.json');
    const result = await chat('magistral-medium-2507').generate(question);
    assert.deepEqual(result.content, [
      { type: 'reasoning', text: 'Granite: felsic, intrusive, quartz and feldspar.' },
      { type: 'text', text: 'Granite is an intrusive igneous rock.' },
    ]);
  });

  it('maps errors: 429 with Retry-After, 422 with its details, 401, 503', async () => {
    upstream.respondWith('rate-limited.json', { status: 429, headers: { 'retry-after': '2' } });
    const throttled = await rejectsWithCode(chat().generate(question), 'ThrottlingException', /Mistral is throttling requests: Requests rate limit exceeded/);
    assert.equal(throttled.retryAfterSeconds, 2);
    upstream.respondWith('unprocessable.json', { status: 422 });
    await rejectsWithCode(chat().generate(question), 'ValidationException', /body\.top_k: Extra inputs are not permitted/);
    upstream.respondWith('unauthorized.json', { status: 401 });
    const denied = await rejectsWithCode(chat().stream(question), 'ModelErrorException', /Mistral rejected Outcrop's credentials \(401\).*MISTRAL_API_KEY/);
    assert.doesNotMatch(denied.message, /mistral-test-key/);
    upstream.respondWith('service-unavailable.json', { status: 503 });
    await rejectsWithCode(chat().generate(question), 'ServiceUnavailableException', /Service unavailable/);
  });

  it('reads the key from MISTRAL_API_KEY when none is configured', async () => {
    upstream.respondWith('text.json');
    const model = provider({ apiKey: undefined, env: { MISTRAL_API_KEY: 'from-env' } }).languageModel?.('mistral-small-latest', capabilities);
    await model?.generate(question);
    assert.equal(upstream.requests[0]?.headers.authorization, 'Bearer from-env');
  });

  it('embeds with mistral-embed through /v1/embeddings, mapping its errors', async () => {
    upstream.respondWith('embedding.json');
    const model = provider().embeddingModel?.('mistral-embed');
    assert.ok(model);
    const result = await model.embed({ values: ['granite', 'basalt'], purpose: 'query' });
    assert.equal(upstream.requests[0]?.path, '/v1/embeddings');
    assert.deepEqual(upstream.requests[0]?.body, { model: 'mistral-embed', input: ['granite', 'basalt'], encoding_format: 'float' });
    assert.equal(result.embeddings.length, 2);
    assert.equal(model.dimensions, 8);
    assert.deepEqual(result.usage, { inputTokens: 6 });
    upstream.respondWith('unauthorized.json', { status: 401 });
    await rejectsWithCode(model.embed({ values: ['granite'] }), 'ModelErrorException', /MISTRAL_API_KEY/);
  });
});

describe('toMistralToolCallId', () => {
  it('keeps IDs Mistral made and maps others to a stable 9-character ID', () => {
    assert.equal(toMistralToolCallId('D681PevKs'), 'D681PevKs');
    const mapped = toMistralToolCallId('tooluse_kZJMlvQmRJ6eAyJE5GIl7Q');
    assert.match(mapped, /^[a-zA-Z0-9]{9}$/);
    assert.equal(toMistralToolCallId('tooluse_kZJMlvQmRJ6eAyJE5GIl7Q'), mapped);
    assert.notEqual(toMistralToolCallId('call_1'), toMistralToolCallId('call_2'));
  });
});
