import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { collectParts, rejectsWithCode } from '../../../test/support/stream-parts.js';
import { useProviderUpstream } from '../../../test/support/provider-test-upstream.js';
import { fixture, jsonReply, startReplayUpstream, streamReply } from '../../../test/support/replay-upstream.js';
import type { CallOptions, LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { Provider } from '../../core/models/provider.js';
import { createOllamaProvider, type OllamaProviderOptions } from './ollama-provider.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const capabilities: ModelCapabilities = { images: true, documents: false, tools: true, systemPrompt: true };
const hello: CallOptions = { prompt: [{ role: 'user', content: [{ type: 'text', text: 'What is granite?' }] }] };
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);
const tools = [{ name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { type: 'object', properties: { rock: { type: 'string' } } } }];
const ndjson = 'application/x-ndjson';

const { upstream, track, onlyRequest } = useProviderUpstream(() => startReplayUpstream());

function provider(options: Partial<OllamaProviderOptions> = {}): Provider {
  let counter = 0;
  return track(createOllamaProvider({ name: 'ollama', baseUrl: upstream.url, env: {}, generateId: () => `tooluse_${++counter}`, ...options }));
}

function model(options: Partial<OllamaProviderOptions> = {}): LanguageModel {
  return provider(options).languageModel!('llama3.2:3b', capabilities);
}

describe('OllamaChatModel.generate', () => {
  it('posts /api/chat with messages, images, tools and options', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const result = await model({ headers: { 'x-tenant': 'geology' } }).generate({
      prompt: [
        { role: 'system', content: [{ type: 'text', text: 'You are a geologist.', cacheControl: true }] },
        { role: 'user', content: [{ type: 'text', text: 'How hard is this?' }, { type: 'image', format: 'png', data: png }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Look it up.' },
            { type: 'tool-call', toolCallId: 'tooluse_a', toolName: 'get_rock_hardness', input: { rock: 'granite' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool-result', toolCallId: 'tooluse_a', content: [{ type: 'json', value: { mohs: 6 } }], isError: false },
            { type: 'text', text: 'And basalt?' },
          ],
        },
      ],
      tools,
      toolChoice: { type: 'auto' },
      maxOutputTokens: 64,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      extraBody: { keep_alive: '10m', options: { num_ctx: 8192 } },
    });
    const request = onlyRequest();
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/api/chat');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['x-tenant'], 'geology');
    assert.equal(request.headers.authorization, undefined);
    assert.deepEqual(request.body, {
      model: 'llama3.2:3b',
      messages: [
        { role: 'system', content: 'You are a geologist.' },
        { role: 'user', content: 'How hard is this?', images: ['iVBORw=='] },
        { role: 'assistant', content: '', thinking: 'Look it up.', tool_calls: [{ function: { name: 'get_rock_hardness', arguments: { rock: 'granite' } } }] },
        { role: 'tool', content: '{"mohs":6}', tool_name: 'get_rock_hardness' },
        { role: 'user', content: 'And basalt?' },
      ],
      tools: [
        { type: 'function', function: { name: 'get_rock_hardness', description: 'Hardness of a rock', parameters: { type: 'object', properties: { rock: { type: 'string' } } } } },
      ],
      stream: false,
      options: { temperature: 0.2, top_p: 0.9, top_k: 40, num_predict: 64, stop: ['END'], num_ctx: 8192 },
      keep_alive: '10m',
    });
    assert.deepEqual(result.content, [{ type: 'text', text: 'Granite is a coarse-grained igneous rock.' }]);
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, { inputTokens: 31, outputTokens: 11 });
    assert.deepEqual(result.warnings, []);
  });

  it('returns thinking and a tool call with a generated ID', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'tool-call.json'));
    const result = await model().generate({ ...hello, tools });
    assert.deepEqual(result.content, [
      { type: 'reasoning', text: 'The user wants the hardness of granite.' },
      { type: 'tool-call', toolCallId: 'tooluse_1', toolName: 'get_rock_hardness', input: { rock: 'granite' } },
    ]);
    assert.equal(result.finishReason, 'tool-calls');
    assert.deepEqual(result.usage, { inputTokens: 160, outputTokens: 24 });
  });

  it('drops tools for choice none and warns for a choice Ollama cannot force', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    await model().generate({ ...hello, tools, toolChoice: { type: 'none' } });
    const named = await model().generate({ ...hello, tools: [...tools, { name: 'other', inputSchema: {} }], toolChoice: { type: 'tool', toolName: 'get_rock_hardness' } });
    const bodies = upstream.requests.map((request) => request.body as { tools?: { function: { name: string } }[] });
    assert.equal(bodies[0]?.tools, undefined);
    assert.deepEqual(
      bodies[1]?.tools?.map((tool) => tool.function.name),
      ['get_rock_hardness'],
    );
    assert.equal(named.warnings[0]?.setting, 'toolChoice');
  });

  it('sends a response format as format, the JSON schema itself', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const schema = { type: 'object', properties: { rock: { type: 'string' }, mohs: { type: 'number' } }, required: ['rock', 'mohs'], additionalProperties: false };
    await model().generate({ ...hello, responseFormat: { type: 'json-schema', schema, name: 'rock' } });
    assert.deepEqual((onlyRequest().body as { format?: unknown }).format, schema);
  });

  it('sends a reasoning effort as think, past high as high with a warning; a think of the caller\'s own wins', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const low = await model().generate({ ...hello, reasoningEffort: 'low' });
    await model().generate({ ...hello, reasoningEffort: 'medium' });
    const max = await model().generate({ ...hello, reasoningEffort: 'max' });
    const own = await model().generate({ ...hello, reasoningEffort: 'high', extraBody: { think: false } });
    await model().generate(hello);
    assert.deepEqual(
      upstream.requests.map((request) => (request.body as { think?: unknown }).think),
      ['low', 'medium', 'high', false, undefined],
    );
    assert.deepEqual(low.warnings, []);
    assert.deepEqual(max.warnings, [{ setting: 'reasoningEffort', details: "Ollama's think has no effort level max; it was sent as high." }]);
    assert.deepEqual(own.warnings, []);
  });

  it('sends the API key as a bearer token when one is configured', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    await model({ env: { OLLAMA_API_KEY: 'ollama-key' } }).generate(hello);
    assert.equal(onlyRequest().headers.authorization, 'Bearer ollama-key');
  });
});

describe('OllamaChatModel.stream', () => {
  it('streams NDJSON text with the final counts', async () => {
    upstream.route = () => streamReply(fixture(fixtures, 'text.chunks.txt'), ndjson);
    const { stream } = await model().stream({ ...hello, maxOutputTokens: 11 });
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Granite' },
      { type: 'text-delta', id: 'text-0', delta: ' is a coarse-grained' },
      { type: 'text-delta', id: 'text-0', delta: ' igneous rock.' },
      { type: 'text-end', id: 'text-0' },
      { type: 'finish', finishReason: 'length', usage: { inputTokens: 31, outputTokens: 11 } },
    ]);
    assert.deepEqual(onlyRequest().body, {
      model: 'llama3.2:3b',
      messages: [{ role: 'user', content: 'What is granite?' }],
      stream: true,
      options: { num_predict: 11 },
    });
  });

  it('streams with think set from the reasoning effort', async () => {
    upstream.route = () => streamReply(fixture(fixtures, 'text.chunks.txt'), ndjson);
    await collectParts((await model().stream({ ...hello, reasoningEffort: 'high' })).stream);
    assert.equal((onlyRequest().body as { think?: unknown }).think, 'high');
  });

  it('streams thinking, then whole tool calls from one chunk', async () => {
    upstream.route = () => streamReply(fixture(fixtures, 'tool-call.chunks.txt'), ndjson);
    const { stream } = await model().stream({ ...hello, tools, toolChoice: { type: 'required' } });
    const parts = await collectParts(stream);
    assert.equal((parts[0] as { warnings: unknown[] }).warnings.length, 1, 'the required-choice warning leads the stream');
    assert.deepEqual(parts.slice(1), [
      { type: 'reasoning-start', id: 'reasoning-0' },
      { type: 'reasoning-delta', id: 'reasoning-0', delta: 'Granite,' },
      { type: 'reasoning-delta', id: 'reasoning-0', delta: ' then basalt.' },
      { type: 'reasoning-end', id: 'reasoning-0' },
      { type: 'tool-input-start', id: 'tooluse_1', toolName: 'get_rock_hardness' },
      { type: 'tool-input-delta', id: 'tooluse_1', delta: '{"rock":"granite"}' },
      { type: 'tool-input-end', id: 'tooluse_1' },
      { type: 'tool-input-start', id: 'tooluse_2', toolName: 'get_rock_hardness' },
      { type: 'tool-input-delta', id: 'tooluse_2', delta: '{"rock":"basalt"}' },
      { type: 'tool-input-end', id: 'tooluse_2' },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 160, outputTokens: 41 } },
    ]);
  });

  it('turns an error line into an error part, and a cut stream into one too', async () => {
    upstream.route = () => streamReply(fixture(fixtures, 'midstream-error.chunks.txt'), ndjson);
    const failed = await collectParts((await model().stream(hello)).stream);
    assert.deepEqual(failed.at(-1), {
      type: 'error',
      code: 'ModelStreamErrorException',
      message: 'Ollama failed mid-stream: an error was encountered while running the model: unexpected EOF',
    });
    upstream.route = () => streamReply(fixture(fixtures, 'text.chunks.txt').split('\n').slice(0, 2).join('\n'), ndjson);
    const cut = await collectParts((await model().stream(hello)).stream);
    assert.deepEqual(cut.at(-1), { type: 'error', code: 'ModelStreamErrorException', message: 'Ollama ended the stream before it finished.' });
  });
});

describe('OllamaChatModel errors', () => {
  it('maps 429 to ThrottlingException with the retry hint', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'rate-limited.json'), 429, { 'retry-after': '3' });
    const error = await rejectsWithCode(model().generate(hello), 'ThrottlingException', /too many requests/);
    assert.equal(error.retryAfterSeconds, 3);
    await rejectsWithCode(model().stream(hello), 'ThrottlingException');
  });

  it('maps a model that is not pulled, a bad request and a server fault', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'not-found.json'), 404);
    await rejectsWithCode(model().generate(hello), 'ResourceNotFoundException', /try pulling it first/);
    upstream.route = () => jsonReply('{"error":"invalid options: num_predict"}', 400);
    await rejectsWithCode(model().generate(hello), 'ValidationException', /invalid options/);
    upstream.route = () => jsonReply('{"error":"llama runner process has terminated: signal: killed"}', 500);
    await rejectsWithCode(model().generate(hello), 'ModelErrorException', /status 500: llama runner/);
  });

  it('refuses documents and images the model cannot take before calling Ollama', async () => {
    await rejectsWithCode(model().generate({ prompt: [{ role: 'user', content: [{ type: 'document', format: 'pdf', name: 'x', data: png }] }] }), 'ValidationException');
    const textOnly = provider().languageModel!('llama3.2:3b', { ...capabilities, images: false });
    await rejectsWithCode(textOnly.generate({ prompt: [{ role: 'user', content: [{ type: 'image', format: 'png', data: png }] }] }), 'ValidationException');
    assert.equal(upstream.requests.length, 0);
  });
});

describe('OllamaChatModel.countTokens', () => {
  it('reads prompt_eval_count from a one-token generation', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'count-tokens.json'));
    assert.equal(await model().countTokens({ ...hello, maxOutputTokens: 500, temperature: 0 }), 27);
    assert.deepEqual(onlyRequest().body, {
      model: 'llama3.2:3b',
      messages: [{ role: 'user', content: 'What is granite?' }],
      stream: false,
      options: { temperature: 0, num_predict: 1 },
    });
  });
});

describe('OllamaEmbeddingModel', () => {
  it('posts /api/embed with every input and reports prompt_eval_count', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'embeddings.json'));
    const embedding = provider().embeddingModel!('nomic-embed-text');
    const result = await embedding.embed({ values: ['granite', 'basalt'], purpose: 'document' });
    assert.deepEqual(result, {
      embeddings: [
        [0.0131, -0.0072, 0.0254, -0.0418],
        [0.0207, 0.0096, -0.0311, 0.0059],
      ],
      usage: { inputTokens: 6 },
    });
    assert.equal(embedding.dimensions, 4);
    const request = onlyRequest();
    assert.equal(request.path, '/api/embed');
    assert.deepEqual(request.body, { model: 'nomic-embed-text', input: ['granite', 'basalt'] });
  });

  it('refuses vectors of another size than configured, and maps errors', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'embeddings.json'));
    await rejectsWithCode(provider().embeddingModel!('nomic-embed-text', { dimensions: 768 }).embed({ values: ['a', 'b'] }), 'ModelErrorException', /768/);
    upstream.route = () => jsonReply(fixture(fixtures, 'not-found.json'), 404);
    await rejectsWithCode(provider().embeddingModel!('nomic-embed-text').embed({ values: ['a'] }), 'ResourceNotFoundException');
  });
});

const liveUrl = process.env.OLLAMA_LIVE_URL;
describe('Ollama live server', { skip: liveUrl ? false : 'OLLAMA_LIVE_URL is not set (live tests are opt-in)' }, () => {
  it('answers a short prompt', async () => {
    const live = track(createOllamaProvider({ name: 'live', baseUrl: liveUrl }));
    const result = await live.languageModel!(process.env.OLLAMA_LIVE_MODEL ?? 'llama3.2', capabilities).generate({ ...hello, maxOutputTokens: 16 });
    assert.ok(result.usage.inputTokens > 0);
  });
});
