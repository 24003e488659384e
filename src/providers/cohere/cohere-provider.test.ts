import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallOptions, LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { Provider } from '../../core/models/provider.js';
import { startFixtureUpstream } from '../../../test/support/fixture-upstream.js';
import { languageModelOf, useProviderUpstream } from '../../../test/support/provider-test-upstream.js';
import { collectParts, rejectsWithCode } from '../../../test/support/stream-parts.js';
import { type CohereProviderOptions, createCohereProvider } from './cohere-provider.js';

const capabilities: ModelCapabilities = { images: false, documents: false, tools: true, systemPrompt: true };
const question: CallOptions = {
  prompt: [
    { role: 'system', content: [{ type: 'text', text: 'You are a geologist.' }] },
    { role: 'user', content: [{ type: 'text', text: 'What is granite?' }] },
  ],
};
const hardnessTool = { name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { type: 'object', properties: { rock: { type: 'string' } } } };
const weatherTool = { name: 'get_weather', inputSchema: { type: 'object' } };

const { upstream, track } = useProviderUpstream(() => startFixtureUpstream(new URL('./__fixtures__/', import.meta.url)));

function provider(options: Partial<CohereProviderOptions> = {}): Provider {
  return track(createCohereProvider({ name: 'cohere', baseUrl: `${upstream.url}/v2`, apiKey: 'co-test-key', env: {}, ...options }));
}

function chat(): LanguageModel {
  return languageModelOf(provider(), 'command-r-plus-08-2024', capabilities);
}

describe('Cohere chat (v2)', () => {
  it("posts to /v2/chat with Cohere's setting names", async () => {
    upstream.respondWith('chat-text.json');
    const result = await chat().generate({ ...question, maxOutputTokens: 64, temperature: 0.2, topP: 0.9, topK: 40, stopSequences: ['END'], extraBody: { seed: 7 } });
    const [request] = upstream.requests;
    assert.equal(request?.path, '/v2/chat');
    assert.equal(request?.headers.authorization, 'Bearer co-test-key');
    assert.deepEqual(request?.body, {
      model: 'command-r-plus-08-2024',
      messages: [
        { role: 'system', content: 'You are a geologist.' },
        { role: 'user', content: 'What is granite?' },
      ],
      max_tokens: 64,
      temperature: 0.2,
      p: 0.9,
      k: 40,
      stop_sequences: ['END'],
      seed: 7,
    });
    assert.deepEqual(result.content, [{ type: 'text', text: 'Granite is a coarse-grained igneous rock.' }]);
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, { inputTokens: 215, outputTokens: 10 });
  });

  it("brings topP and topK into Cohere's ranges, with a warning", async () => {
    upstream.respondWith('chat-text.json');
    const result = await chat().generate({ ...question, topP: 1, topK: 40 });
    assert.equal(upstream.requests[0]?.body.p, 0.99);
    assert.equal(upstream.requests[0]?.body.k, 40);
    assert.deepEqual(result.warnings, [{ setting: 'topP', details: 'Cohere takes topP from 0.01 to 0.99; 1 was sent as 0.99.' }]);
  });

  it('sends a response format as a json_object response_format with its schema', async () => {
    upstream.respondWith('chat-text.json');
    const schema = { type: 'object', properties: { rock: { type: 'string' }, mohs: { type: 'number' } }, required: ['rock', 'mohs'], additionalProperties: false };
    await chat().generate({ ...question, responseFormat: { type: 'json-schema', schema, name: 'rock' } });
    assert.deepEqual(upstream.requests[0]?.body.response_format, { type: 'json_object', json_schema: schema });
  });

  it('turns a reasoning effort into thinking with a share of max_tokens as its budget; a thinking of the caller\'s own wins', async () => {
    for (let index = 0; index < 6; index++) upstream.respondWith('chat-text.json');
    const results = [];
    for (const reasoningEffort of ['low', 'medium', 'high', 'max'] as const) results.push(await chat().generate({ ...question, maxOutputTokens: 1000, reasoningEffort }));
    const unbounded = await chat().generate({ ...question, reasoningEffort: 'low' });
    await chat().generate({ ...question, maxOutputTokens: 1000, reasoningEffort: 'low', extraBody: { thinking: { type: 'disabled' } } });
    assert.deepEqual(
      upstream.requests.map((request) => request.body.thinking),
      [
        { type: 'enabled', token_budget: 125 },
        { type: 'enabled', token_budget: 250 },
        { type: 'enabled', token_budget: 500 },
        { type: 'enabled' },
        { type: 'enabled' },
        { type: 'disabled' },
      ],
    );
    assert.deepEqual(
      results.map((result) => result.warnings),
      [[], [], [], []],
    );
    assert.deepEqual(unbounded.warnings, [
      { setting: 'reasoningEffort', details: "Cohere's thinking takes a token budget, not an effort level; without maxTokens, effort low sets no budget." },
    ]);
  });

  it('streams text from content events, usage from message-end', async () => {
    upstream.respondWith('chat-text.chunks.txt');
    const { stream } = await chat().stream(question);
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 'content-0' },
      { type: 'text-delta', id: 'content-0', delta: 'Granite' },
      { type: 'text-delta', id: 'content-0', delta: ' is a coarse-grained igneous rock.' },
      { type: 'text-end', id: 'content-0' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 215, outputTokens: 10 } },
    ]);
    assert.equal(upstream.requests[0]?.body.stream, true);
  });

  it('turns a stream that ends without message-end into one error part', async () => {
    upstream.respondWith('chat-cut-short.chunks.txt');
    const parts = await collectParts((await chat().stream(question)).stream);
    assert.deepEqual(parts.slice(-2), [
      { type: 'text-delta', id: 'content-0', delta: 'Granite' },
      { type: 'error', code: 'ModelStreamErrorException', message: 'Cohere ended the stream before it finished.' },
    ]);
  });

  it('sends a tool round trip: tool_plan and tool_calls, then a tool message', async () => {
    upstream.respondWith('chat-text.json');
    await chat().generate({
      prompt: [
        { role: 'user', content: [{ type: 'text', text: 'How hard is granite?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'I will look it up.' },
            { type: 'tool-call', toolCallId: 'tooluse_1', toolName: 'get_rock_hardness', input: { rock: 'granite' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool-result', toolCallId: 'tooluse_1', content: [{ type: 'json', value: { mohs: 6 } }], isError: false }] },
      ],
      tools: [hardnessTool, weatherTool],
      toolChoice: { type: 'required' },
    });
    assert.deepEqual(upstream.requests[0]?.body, {
      model: 'command-r-plus-08-2024',
      messages: [
        { role: 'user', content: 'How hard is granite?' },
        {
          role: 'assistant',
          tool_plan: 'I will look it up.',
          tool_calls: [{ id: 'tooluse_1', type: 'function', function: { name: 'get_rock_hardness', arguments: '{"rock":"granite"}' } }],
        },
        { role: 'tool', tool_call_id: 'tooluse_1', content: '{"mohs":6}' },
      ],
      tools: [
        { type: 'function', function: { name: 'get_rock_hardness', description: 'Hardness of a rock', parameters: hardnessTool.inputSchema } },
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
      ],
      tool_choice: 'REQUIRED',
    });
  });

  it('sends only the chosen tool, required, and NONE for no tools', async () => {
    upstream.respondWith('chat-text.json');
    await chat().generate({ ...question, tools: [hardnessTool, weatherTool], toolChoice: { type: 'tool', toolName: 'get_weather' } });
    assert.deepEqual(upstream.requests[0]?.body.tools, [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }]);
    assert.equal(upstream.requests[0]?.body.tool_choice, 'REQUIRED');
    upstream.respondWith('chat-text.json');
    await chat().generate({ ...question, tools: [hardnessTool], toolChoice: { type: 'none' } });
    assert.equal(upstream.requests[1]?.body.tool_choice, 'NONE');
    upstream.respondWith('chat-text.json');
    await chat().generate({ ...question, tools: [hardnessTool], toolChoice: { type: 'auto' } });
    assert.equal('tool_choice' in (upstream.requests[2]?.body ?? {}), false);
  });

  it('returns the tool plan as text and the tool call, and streams them', async () => {
    upstream.respondWith('chat-tool-call.json');
    const result = await chat().generate({ ...question, tools: [hardnessTool] });
    assert.deepEqual(result.content, [
      { type: 'text', text: 'I will look up the hardness of granite.' },
      { type: 'tool-call', toolCallId: 'get_rock_hardness_5n0rfh0q3vbq', toolName: 'get_rock_hardness', input: { rock: 'granite' } },
    ]);
    assert.equal(result.finishReason, 'tool-calls');
    assert.deepEqual(result.usage, { inputTokens: 1012, outputTokens: 52 });

    upstream.respondWith('chat-tool-call.chunks.txt');
    const { stream } = await chat().stream({ ...question, tools: [hardnessTool] });
    const id = 'get_rock_hardness_5n0rfh0q3vbq';
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 'tool-plan' },
      { type: 'text-delta', id: 'tool-plan', delta: 'I will look up' },
      { type: 'text-delta', id: 'tool-plan', delta: ' the hardness of granite.' },
      { type: 'text-end', id: 'tool-plan' },
      { type: 'tool-input-start', id, toolName: 'get_rock_hardness' },
      { type: 'tool-input-delta', id, delta: '{"rock":' },
      { type: 'tool-input-delta', id, delta: '"granite"}' },
      { type: 'tool-input-end', id },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 1012, outputTokens: 52 } },
    ]);
  });

  it('maps errors: 429 with Retry-After, 400, 401 and 498, 503', async () => {
    upstream.respondWith('rate-limited.json', { status: 429, headers: { 'retry-after': '60' } });
    const throttled = await rejectsWithCode(chat().generate(question), 'ThrottlingException', /Cohere is throttling requests: You are using a Trial key/);
    assert.equal(throttled.retryAfterSeconds, 60);
    upstream.respondWith('bad-request.json', { status: 400 });
    await rejectsWithCode(chat().generate(question), 'ValidationException', /message must be at least 1 token long/);
    for (const status of [401, 498]) {
      upstream.respondWith('unauthorized.json', { status });
      const denied = await rejectsWithCode(chat().stream(question), 'ModelErrorException', /Cohere rejected Outcrop's credentials \(401\).*CO_API_KEY/);
      assert.doesNotMatch(denied.message, /co-test-key/);
    }
    upstream.respondWith('service-unavailable.json', { status: 503 });
    await rejectsWithCode(chat().generate(question), 'ServiceUnavailableException', /service unavailable/);
  });

  it('reads the key from CO_API_KEY when none is configured', async () => {
    upstream.respondWith('chat-text.json');
    await provider({ apiKey: undefined, env: { CO_API_KEY: 'co-from-env' } })
      .languageModel?.('command-r-plus-08-2024', capabilities)
      .generate(question);
    assert.equal(upstream.requests[0]?.headers.authorization, 'Bearer co-from-env');
  });
});

describe('Cohere embed (v2)', () => {
  it('posts texts with the input type of the purpose and float embeddings', async () => {
    const model = provider().embeddingModel?.('embed-english-v3.0', { dimensions: 8 });
    assert.ok(model);
    assert.equal(model.maxBatchSize, 96);
    const purposes = { document: 'search_document', query: 'search_query', classification: 'classification', clustering: 'clustering' } as const;
    for (const [purpose, inputType] of Object.entries(purposes)) {
      upstream.respondWith('embed.json');
      const result = await model.embed({ values: ['granite', 'basalt'], purpose: purpose as keyof typeof purposes });
      const request = upstream.requests.at(-1);
      assert.equal(request?.path, '/v2/embed');
      assert.equal(request?.headers.authorization, 'Bearer co-test-key');
      assert.deepEqual(request?.body, { model: 'embed-english-v3.0', texts: ['granite', 'basalt'], input_type: inputType, embedding_types: ['float'] });
      assert.deepEqual(result.embeddings[1]?.slice(0, 3), [0.0148, -0.0397, 0.0301]);
      assert.deepEqual(result.usage, { inputTokens: 2 });
    }
    upstream.respondWith('embed.json');
    await model.embed({ values: ['granite', 'basalt'] });
    assert.equal(upstream.requests.at(-1)?.body.input_type, 'search_query');
  });

  it('refuses vectors of another size than configured, and a count that does not match', async () => {
    upstream.respondWith('embed.json');
    await rejectsWithCode(provider().embeddingModel!('embed-english-v3.0', { dimensions: 1024 }).embed({ values: ['granite', 'basalt'] }), 'ModelErrorException', /8-dimension/);
    upstream.respondWith('embed.json');
    await rejectsWithCode(provider().embeddingModel!('embed-english-v3.0').embed({ values: ['granite'] }), 'ModelErrorException', /2 vectors for 1 inputs/);
  });
});

describe('Cohere rerank (v2)', () => {
  it('posts the query, documents and top_n, and returns the results best first', async () => {
    upstream.respondWith('rerank.json');
    const model = provider().rerankingModel?.('rerank-v3.5');
    assert.ok(model);
    const documents = ['Granite is igneous.', 'Shale is sedimentary.', 'Basalt is an extrusive igneous rock.'];
    const result = await model.rerank({ query: 'igneous rocks', documents, topN: 2 });
    assert.equal(upstream.requests[0]?.path, '/v2/rerank');
    assert.equal(upstream.requests[0]?.headers.authorization, 'Bearer co-test-key');
    assert.deepEqual(upstream.requests[0]?.body, { model: 'rerank-v3.5', query: 'igneous rocks', documents, top_n: 2 });
    assert.deepEqual(result.results, [
      { index: 2, relevanceScore: 0.9993 },
      { index: 0, relevanceScore: 0.7867 },
    ]);
  });

  it('refuses results that point past the documents sent, and maps errors', async () => {
    upstream.respondWith('rerank.json');
    await rejectsWithCode(provider().rerankingModel!('rerank-v3.5').rerank({ query: 'igneous', documents: ['Granite.'] }), 'ModelErrorException', /not sent/);
    upstream.respondWith('rate-limited.json', { status: 429 });
    await rejectsWithCode(provider().rerankingModel!('rerank-v3.5').rerank({ query: 'igneous', documents: ['Granite.'] }), 'ThrottlingException');
  });
});
