import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallOptions, LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { Provider } from '../../core/models/provider.js';
import { startFixtureUpstream } from '../../../test/support/fixture-upstream.js';
import { languageModelOf, useProviderUpstream } from '../../../test/support/provider-test-upstream.js';
import { collectParts, rejectsWithCode } from '../../../test/support/stream-parts.js';
import { createOpenAIProvider, type OpenAIProviderOptions } from './openai-provider.js';

const capabilities: ModelCapabilities = { images: true, documents: false, tools: true, systemPrompt: true };
const question: CallOptions = {
  prompt: [
    { role: 'system', content: [{ type: 'text', text: 'You are a geologist.' }] },
    { role: 'user', content: [{ type: 'text', text: 'What is granite?' }] },
  ],
};
const tools: Pick<CallOptions, 'tools' | 'toolChoice'> = {
  tools: [{ name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { type: 'object', properties: { rock: { type: 'string' } } } }],
  toolChoice: { type: 'required' },
};

const { upstream, track } = useProviderUpstream(() => startFixtureUpstream(new URL('./__fixtures__/', import.meta.url)));

function provider(options: Partial<OpenAIProviderOptions> = {}): Provider {
  return track(createOpenAIProvider({ name: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: 'sk-test-openai', env: {}, ...options }));
}

function chat(modelId = 'gpt-4.1-mini', options: Partial<OpenAIProviderOptions> = {}): LanguageModel {
  return languageModelOf(provider(options), modelId, capabilities);
}

describe('OpenAI Chat Completions (api: chat)', () => {
  it('posts to /v1/chat/completions with the key, organization and project, and max_completion_tokens', async () => {
    upstream.respondWith('chat-text.json');
    const result = await chat('gpt-4.1-mini', { organization: 'org-outcrop', project: 'proj_rocks' }).generate({
      ...question,
      maxOutputTokens: 64,
      temperature: 0.2,
      topP: 0.9,
      stopSequences: ['END'],
    });
    const [request] = upstream.requests;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.path, '/v1/chat/completions');
    assert.equal(request?.headers.authorization, 'Bearer sk-test-openai');
    assert.equal(request?.headers['openai-organization'], 'org-outcrop');
    assert.equal(request?.headers['openai-project'], 'proj_rocks');
    assert.deepEqual(request?.body, {
      model: 'gpt-4.1-mini',
      messages: [
        { role: 'system', content: 'You are a geologist.' },
        { role: 'user', content: 'What is granite?' },
      ],
      max_completion_tokens: 64,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
    });
    assert.deepEqual(result.content, [{ type: 'text', text: 'Granite is a coarse-grained igneous rock.' }]);
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, { inputTokens: 24, outputTokens: 10 });
    assert.deepEqual(result.warnings, []);
  });

  it('sends reasoning models a developer message and no sampling settings, with a warning for each dropped one', async () => {
    upstream.respondWith('chat-text.json');
    const result = await chat('o4-mini').generate({ ...question, maxOutputTokens: 500, temperature: 0.2, topP: 0.9, topK: 40 });
    assert.deepEqual(upstream.requests[0]?.body, {
      model: 'o4-mini',
      messages: [
        { role: 'developer', content: 'You are a geologist.' },
        { role: 'user', content: 'What is granite?' },
      ],
      max_completion_tokens: 500,
    });
    assert.deepEqual(
      result.warnings.map((warning) => warning.setting),
      ['topK', 'temperature', 'topP'],
    );
  });

  it('streams text with usage from the final chunk', async () => {
    upstream.respondWith('chat-text.chunks.txt');
    const { stream } = await chat().stream(question);
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 'text' },
      { type: 'text-delta', id: 'text', delta: 'Granite' },
      { type: 'text-delta', id: 'text', delta: ' is a coarse-grained igneous rock.' },
      { type: 'text-end', id: 'text' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 24, outputTokens: 10 } },
    ]);
    assert.equal(upstream.requests[0]?.body.stream, true);
    assert.deepEqual(upstream.requests[0]?.body.stream_options, { include_usage: true });
  });

  it('returns a tool call, and streams one', async () => {
    upstream.respondWith('chat-tool-call.json');
    const result = await chat().generate({ ...question, ...tools });
    assert.deepEqual(upstream.requests[0]?.body.tools, [
      { type: 'function', function: { name: 'get_rock_hardness', description: 'Hardness of a rock', parameters: { type: 'object', properties: { rock: { type: 'string' } } } } },
    ]);
    assert.equal(upstream.requests[0]?.body.tool_choice, 'required');
    assert.deepEqual(result.content, [{ type: 'tool-call', toolCallId: 'call_Xk2nq8RbT1vL0pQe5sYdHw3M', toolName: 'get_rock_hardness', input: { rock: 'granite' } }]);
    assert.equal(result.finishReason, 'tool-calls');

    upstream.respondWith('chat-tool-call.chunks.txt');
    const { stream } = await chat().stream({ ...question, ...tools });
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'tool-input-start', id: 'call_Xk2nq8RbT1vL0pQe5sYdHw3M', toolName: 'get_rock_hardness' },
      { type: 'tool-input-delta', id: 'call_Xk2nq8RbT1vL0pQe5sYdHw3M', delta: '{"rock":' },
      { type: 'tool-input-delta', id: 'call_Xk2nq8RbT1vL0pQe5sYdHw3M', delta: '"granite"}' },
      { type: 'tool-input-end', id: 'call_Xk2nq8RbT1vL0pQe5sYdHw3M' },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 71, outputTokens: 18 } },
    ]);
  });

  it('sends a response format as a strict json_schema response_format', async () => {
    upstream.respondWith('chat-text.json');
    const schema = { type: 'object', properties: { rock: { type: 'string' }, mohs: { type: 'number' } }, required: ['rock', 'mohs'], additionalProperties: false };
    await chat().generate({ ...question, responseFormat: { type: 'json-schema', schema, name: 'rock.info', description: 'A rock and its hardness' } });
    assert.deepEqual(upstream.requests[0]?.body.response_format, {
      type: 'json_schema',
      json_schema: { name: 'rock_info', schema, strict: true, description: 'A rock and its hardness' },
    });
  });

  it('sends every reasoning effort as reasoning_effort, xhigh and max included, streaming too', async () => {
    const model = chat('gpt-5');
    const results = [];
    for (const reasoningEffort of ['low', 'xhigh', 'max'] as const) {
      upstream.respondWith('chat-text.json');
      results.push(await model.generate({ ...question, reasoningEffort }));
    }
    upstream.respondWith('chat-text.chunks.txt');
    await collectParts((await model.stream({ ...question, reasoningEffort: 'medium' })).stream);
    assert.deepEqual(
      upstream.requests.map((request) => request.body.reasoning_effort),
      ['low', 'xhigh', 'max', 'medium'],
    );
    assert.deepEqual(
      results.map((result) => result.warnings),
      [[], [], []],
    );
  });

  it('turns 429 into ThrottlingException with the Retry-After hint', async () => {
    upstream.respondWith('rate-limited.json', { status: 429, headers: { 'retry-after': '20' } });
    const error = await rejectsWithCode(chat().generate(question), 'ThrottlingException', /Rate limit reached for gpt-4.1-mini/);
    assert.equal(error.retryAfterSeconds, 20);
    assert.equal(error.isRetryable, true);
  });

  it('turns 401 into ModelErrorException naming where the key comes from, never the key', async () => {
    upstream.respondWith('unauthorized.json', { status: 401 });
    const error = await rejectsWithCode(chat().generate(question), 'ModelErrorException', /OpenAI rejected Outcrop's credentials \(401\).*OPENAI_API_KEY/);
    assert.doesNotMatch(error.message, /sk-test/);
  });

  it('turns 400 into ValidationException and 503 into ServiceUnavailableException', async () => {
    upstream.respondWith('bad-request.json', { status: 400 });
    await rejectsWithCode(chat().generate(question), 'ValidationException', /Invalid type for 'input\[0\]\.content'/);
    upstream.respondWith('server-unavailable.json', { status: 503 });
    await rejectsWithCode(chat().stream(question), 'ServiceUnavailableException', /overloaded/);
  });

  it('reads the key from OPENAI_API_KEY when none is configured, and sends none when neither is set', async () => {
    upstream.respondWith('chat-text.json');
    await chat('gpt-4.1-mini', { apiKey: undefined, env: { OPENAI_API_KEY: 'sk-from-env' } }).generate(question);
    assert.equal(upstream.requests[0]?.headers.authorization, 'Bearer sk-from-env');
    upstream.respondWith('chat-text.json');
    await chat('gpt-4.1-mini', { apiKey: undefined, env: {} }).generate(question);
    assert.equal(upstream.requests[1]?.headers.authorization, undefined);
  });

  it('embeds through /v1/embeddings', async () => {
    upstream.respondWith('embedding.json');
    const model = provider().embeddingModel?.('text-embedding-3-small', { dimensions: 8 });
    assert.ok(model);
    const result = await model.embed({ values: ['granite', 'basalt'] });
    assert.equal(upstream.requests[0]?.path, '/v1/embeddings');
    assert.equal(upstream.requests[0]?.headers.authorization, 'Bearer sk-test-openai');
    assert.deepEqual(upstream.requests[0]?.body, { model: 'text-embedding-3-small', input: ['granite', 'basalt'], encoding_format: 'float' });
    assert.equal(result.embeddings.length, 2);
    assert.deepEqual(result.embeddings[0]?.slice(0, 2), [0.0123, -0.0456]);
    assert.deepEqual(result.usage, { inputTokens: 4 });
  });

  it('reports its type as openai', () => {
    assert.equal(provider().type, 'openai');
  });
});
