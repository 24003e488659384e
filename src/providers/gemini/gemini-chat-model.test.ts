import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { collectParts, rejectsWithCode } from '../../../test/support/stream-parts.js';
import { useProviderUpstream } from '../../../test/support/provider-test-upstream.js';
import { fixture, jsonReply, startReplayUpstream, streamReply } from '../../../test/support/replay-upstream.js';
import type { CallOptions, LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { Provider } from '../../core/models/provider.js';
import { toGeminiSchema } from './convert-to-gemini-messages.js';
import { createGeminiProvider, type GeminiProviderOptions } from './gemini-provider.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const capabilities: ModelCapabilities = { images: true, documents: true, tools: true, systemPrompt: true };
const hello: CallOptions = { prompt: [{ role: 'user', content: [{ type: 'text', text: 'What is granite?' }] }] };
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);
const tools = [{ name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { type: 'object', properties: { rock: { type: 'string' } }, required: ['rock'] } }];

const { upstream, track, onlyRequest } = useProviderUpstream(() => startReplayUpstream());

function provider(options: Partial<GeminiProviderOptions> = {}): Provider {
  let counter = 0;
  return track(createGeminiProvider({ name: 'gemini', baseUrl: upstream.url, apiKey: 'AIza-test', env: {}, generateId: () => `tooluse_${++counter}`, ...options }));
}

function model(options: Partial<GeminiProviderOptions> = {}): LanguageModel {
  return provider(options).languageModel!('gemini-2.5-flash', capabilities);
}

describe('GeminiChatModel.generate', () => {
  it('posts :generateContent with contents, systemInstruction, tools, toolConfig and generationConfig', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const result = await model({ headers: { 'x-tenant': 'geology' } }).generate({
      prompt: [
        { role: 'system', content: [{ type: 'text', text: 'You are a geologist.', cacheControl: true }] },
        { role: 'user', content: [{ type: 'text', text: 'How hard is this?' }, { type: 'image', format: 'png', data: png }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'not sent back' },
            { type: 'tool-call', toolCallId: 'tooluse_a', toolName: 'get_rock_hardness', input: { rock: 'granite' } },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'tooluse_a', content: [{ type: 'json', value: { mohs: 6 } }], isError: false }] },
        { role: 'user', content: [{ type: 'text', text: 'And basalt?' }] },
      ],
      tools: [{ ...tools[0]!, inputSchema: { $schema: 'http://json-schema.org/draft-07/schema#', additionalProperties: false, ...tools[0]!.inputSchema } }],
      toolChoice: { type: 'tool', toolName: 'get_rock_hardness' },
      maxOutputTokens: 64,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      extraBody: { generationConfig: { thinkingConfig: { thinkingBudget: 0 } }, safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }] },
    });
    const request = onlyRequest();
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(request.headers['x-goog-api-key'], 'AIza-test');
    assert.equal(request.headers['x-tenant'], 'geology');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, {
      systemInstruction: { parts: [{ text: 'You are a geologist.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'How hard is this?' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw==' } }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_rock_hardness', args: { rock: 'granite' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_rock_hardness', response: { output: { mohs: 6 } } } }, { text: 'And basalt?' }] },
      ],
      tools: [
        {
          functionDeclarations: [
            { name: 'get_rock_hardness', description: 'Hardness of a rock', parameters: { type: 'object', properties: { rock: { type: 'string' } }, required: ['rock'] } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_rock_hardness'] } },
      generationConfig: { maxOutputTokens: 64, temperature: 0.2, topP: 0.9, topK: 40, stopSequences: ['END'], thinkingConfig: { thinkingBudget: 0 } },
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
    });
    assert.deepEqual(result.content, [{ type: 'text', text: 'Granite is a coarse-grained igneous rock.' }]);
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, { inputTokens: 6, outputTokens: 34, cacheReadInputTokens: 1024 });
  });

  it('returns thoughts and function calls with generated IDs', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'tool-call.json'));
    const result = await model().generate({ ...hello, tools, toolChoice: { type: 'auto' } });
    assert.deepEqual((onlyRequest().body as { toolConfig: unknown }).toolConfig, { functionCallingConfig: { mode: 'AUTO' } });
    assert.deepEqual(result.content, [
      { type: 'reasoning', text: 'The user asks for hardness; call the tool.' },
      { type: 'tool-call', toolCallId: 'tooluse_1', toolName: 'get_rock_hardness', input: { rock: 'granite' } },
    ]);
    assert.equal(result.finishReason, 'tool-calls');
    assert.deepEqual(result.usage, { inputTokens: 58, outputTokens: 18 });
  });

  it('maps required and none, and a blocked prompt to content-filter', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'safety.json'));
    const blocked = await model().generate({ ...hello, tools, toolChoice: { type: 'required' } });
    await model().generate({ ...hello, tools, toolChoice: { type: 'none' } });
    const bodies = upstream.requests.map((request) => request.body as { toolConfig: unknown });
    assert.deepEqual(bodies[0]?.toolConfig, { functionCallingConfig: { mode: 'ANY' } });
    assert.deepEqual(bodies[1]?.toolConfig, { functionCallingConfig: { mode: 'NONE' } });
    assert.deepEqual(blocked.content, []);
    assert.equal(blocked.finishReason, 'content-filter');
  });

  it('sends a response format as responseMimeType and responseJsonSchema in generationConfig', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...{ type: 'object', properties: { rock: { type: 'string' }, mohs: { type: 'number' } }, required: ['rock', 'mohs'], additionalProperties: false } };
    await model().generate({ ...hello, maxOutputTokens: 64, responseFormat: { type: 'json-schema', schema, name: 'rock' } });
    assert.deepEqual((onlyRequest().body as { generationConfig?: unknown }).generationConfig, { maxOutputTokens: 64, responseMimeType: 'application/json', responseJsonSchema: schema });
  });

  it('sends a reasoning effort as thinkingConfig.thinkingLevel, xhigh and max as high with a warning', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const gemini = model();
    const results = [];
    for (const reasoningEffort of ['low', 'medium', 'high', 'xhigh', 'max'] as const) results.push(await gemini.generate({ ...hello, reasoningEffort }));
    const levels = upstream.requests.map((request) => (request.body as { generationConfig?: { thinkingConfig?: unknown } }).generationConfig?.thinkingConfig);
    assert.deepEqual(levels, [{ thinkingLevel: 'low' }, { thinkingLevel: 'medium' }, { thinkingLevel: 'high' }, { thinkingLevel: 'high' }, { thinkingLevel: 'high' }]);
    assert.deepEqual(
      results.map((result) => result.warnings),
      [[], [], [], [{ setting: 'reasoningEffort', details: "Gemini's thinkingLevel has no effort level xhigh; it was sent as high." }], [{ setting: 'reasoningEffort', details: "Gemini's thinkingLevel has no effort level max; it was sent as high." }]],
    );
  });

  it("merges the effort with the caller's thinkingConfig, whose own level or budget wins", async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const gemini = model();
    await gemini.generate({ ...hello, reasoningEffort: 'low', extraBody: { generationConfig: { thinkingConfig: { includeThoughts: true } } } });
    await gemini.generate({ ...hello, reasoningEffort: 'low', extraBody: { generationConfig: { thinkingConfig: { thinkingBudget: 1024 } } } });
    await gemini.generate({ ...hello, reasoningEffort: 'low', extraBody: { generationConfig: { thinkingConfig: { thinkingLevel: 'minimal' } } } });
    await gemini.generate(hello);
    const configs = upstream.requests.map((request) => (request.body as { generationConfig?: unknown }).generationConfig);
    assert.deepEqual(configs, [
      { thinkingConfig: { thinkingLevel: 'low', includeThoughts: true } },
      { thinkingConfig: { thinkingBudget: 1024 } },
      { thinkingConfig: { thinkingLevel: 'minimal' } },
      undefined,
    ]);
  });

  it('names a function response after its call and marks errors', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    await model().generate({
      prompt: [
        hello.prompt[0]!,
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'tooluse_b', toolName: 'get_rock_hardness', input: {} }] },
        { role: 'user', content: [{ type: 'tool-result', toolCallId: 'tooluse_b', content: [{ type: 'text', text: 'unknown rock' }], isError: true }] },
      ],
      tools,
    });
    assert.deepEqual((onlyRequest().body as { contents: unknown[] }).contents[2], {
      role: 'user',
      parts: [{ functionResponse: { name: 'get_rock_hardness', response: { error: 'unknown rock' } } }],
    });
  });
});

describe('GeminiChatModel.stream', () => {
  it('streams text from :streamGenerateContent?alt=sse', async () => {
    upstream.route = () => streamReply(fixture(fixtures, 'text.chunks.txt'), 'text/event-stream');
    const { stream } = await model().stream({ ...hello, maxOutputTokens: 9 });
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Granite is' },
      { type: 'text-delta', id: 'text-0', delta: ' a coarse-grained igneous rock.' },
      { type: 'text-end', id: 'text-0' },
      { type: 'finish', finishReason: 'length', usage: { inputTokens: 6, outputTokens: 9 } },
    ]);
    const request = onlyRequest();
    assert.equal(request.path, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    assert.deepEqual(request.body, { contents: [{ role: 'user', parts: [{ text: 'What is granite?' }] }], generationConfig: { maxOutputTokens: 9 } });
  });

  it('streams with the thinking level, its warning in stream-start', async () => {
    upstream.route = () => streamReply(fixture(fixtures, 'text.chunks.txt'), 'text/event-stream');
    const parts = await collectParts((await model().stream({ ...hello, reasoningEffort: 'max' })).stream);
    assert.deepEqual(parts[0], { type: 'stream-start', warnings: [{ setting: 'reasoningEffort', details: "Gemini's thinkingLevel has no effort level max; it was sent as high." }] });
    assert.deepEqual((onlyRequest().body as { generationConfig?: unknown }).generationConfig, { thinkingConfig: { thinkingLevel: 'high' } });
  });

  it('streams thoughts, then whole function calls as one delta each', async () => {
    upstream.route = () => streamReply(fixture(fixtures, 'tool-call.chunks.txt'), 'text/event-stream');
    const { stream } = await model().stream({ ...hello, tools });
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'reasoning-start', id: 'reasoning-0' },
      { type: 'reasoning-delta', id: 'reasoning-0', delta: 'Checking granite first.' },
      { type: 'reasoning-end', id: 'reasoning-0' },
      { type: 'tool-input-start', id: 'tooluse_1', toolName: 'get_rock_hardness' },
      { type: 'tool-input-delta', id: 'tooluse_1', delta: '{"rock":"granite"}' },
      { type: 'tool-input-end', id: 'tooluse_1' },
      { type: 'tool-input-start', id: 'tooluse_2', toolName: 'get_rock_hardness' },
      { type: 'tool-input-delta', id: 'tooluse_2', delta: '{"rock":"basalt"}' },
      { type: 'tool-input-end', id: 'tooluse_2' },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 58, outputTokens: 42 } },
    ]);
  });

  it('turns an error event into an error part, and a stream without a finish reason into one too', async () => {
    const first = fixture(fixtures, 'text.chunks.txt').split('\n\n')[0];
    upstream.route = () => streamReply(`${first}\n\ndata: ${fixture(fixtures, 'unavailable.json').replace(/\n\s*/g, '')}\n\n`, 'text/event-stream');
    const failed = await collectParts((await model().stream(hello)).stream);
    assert.deepEqual(failed.at(-1), { type: 'error', code: 'ServiceUnavailableException', message: 'Gemini is unavailable: The model is overloaded. Please try again later.' });
    upstream.route = () => streamReply(`${first}\n\n`, 'text/event-stream');
    const cut = await collectParts((await model().stream(hello)).stream);
    assert.deepEqual(cut.at(-1), { type: 'error', code: 'ModelStreamErrorException', message: 'Gemini ended the stream before it finished.' });
  });
});

describe('GeminiChatModel errors', () => {
  it('maps 429 RESOURCE_EXHAUSTED to ThrottlingException with the RetryInfo delay', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'rate-limited.json'), 429);
    const error = await rejectsWithCode(model().generate(hello), 'ThrottlingException', /exceeded your current quota/);
    assert.equal(error.retryAfterSeconds, 37);
    await rejectsWithCode(model().stream(hello), 'ThrottlingException');
  });

  it('maps 400 INVALID_ARGUMENT, an invalid key, 503 and 500', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'bad-request.json'), 400);
    await rejectsWithCode(model().generate(hello), 'ValidationException', /contents is not specified/);
    upstream.route = () => jsonReply(fixture(fixtures, 'invalid-key.json'), 400);
    const denied = await rejectsWithCode(model().generate(hello), 'ModelErrorException', /credentials.*apiKey/);
    assert.doesNotMatch(denied.message, /AIza-test/);
    upstream.route = () => jsonReply(fixture(fixtures, 'unavailable.json'), 503);
    await rejectsWithCode(model().generate(hello), 'ServiceUnavailableException', /overloaded/);
    upstream.route = () => jsonReply('{"error":{"code":500,"message":"An internal error has occurred.","status":"INTERNAL"}}', 500);
    await rejectsWithCode(model().generate(hello), 'ModelErrorException', /status 500: An internal error/);
  });
});

describe('GeminiChatModel.countTokens', () => {
  it('posts :countTokens with a generateContentRequest', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'count-tokens.json'));
    const count = await model().countTokens({ prompt: [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, ...hello.prompt], tools, maxOutputTokens: 5 });
    assert.equal(count, 31);
    const request = onlyRequest();
    assert.equal(request.path, '/v1beta/models/gemini-2.5-flash:countTokens');
    assert.deepEqual(request.body, {
      generateContentRequest: {
        model: 'models/gemini-2.5-flash',
        contents: [{ role: 'user', parts: [{ text: 'What is granite?' }] }],
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        tools: [{ functionDeclarations: [{ name: 'get_rock_hardness', description: 'Hardness of a rock', parameters: tools[0]!.inputSchema }] }],
      },
    });
  });
});

describe('GeminiEmbeddingModel', () => {
  it('posts :batchEmbedContents with the task type and output size', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'embeddings.json'));
    const embedding = provider().embeddingModel!('gemini-embedding-001', { dimensions: 4 });
    const result = await embedding.embed({ values: ['granite', 'basalt'], purpose: 'query' });
    assert.deepEqual(result.embeddings, [
      [0.0131, -0.0072, 0.0254, -0.0418],
      [0.0207, 0.0096, -0.0311, 0.0059],
    ]);
    assert.equal(embedding.dimensions, 4);
    assert.equal(embedding.maxBatchSize, 100);
    const request = onlyRequest();
    assert.equal(request.path, '/v1beta/models/gemini-embedding-001:batchEmbedContents');
    assert.equal(request.headers['x-goog-api-key'], 'AIza-test');
    assert.deepEqual(request.body, {
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'granite' }] }, taskType: 'RETRIEVAL_QUERY', outputDimensionality: 4 },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'basalt' }] }, taskType: 'RETRIEVAL_QUERY', outputDimensionality: 4 },
      ],
    });
  });

  it('maps a rate limit', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'rate-limited.json'), 429);
    await rejectsWithCode(provider().embeddingModel!('gemini-embedding-001').embed({ values: ['granite'] }), 'ThrottlingException');
  });
});

describe('toGeminiSchema', () => {
  it('keeps the OpenAPI subset, folds nullable types and const', () => {
    assert.deepEqual(
      toGeminiSchema({
        $schema: 'x',
        type: 'object',
        additionalProperties: false,
        properties: { depth: { type: ['number', 'null'], minimum: 0 }, unit: { const: 'm' }, layers: { type: 'array', items: { type: 'string', $comment: 'x' } } },
      }),
      { type: 'object', properties: { depth: { type: 'number', nullable: true, minimum: 0 }, unit: { enum: ['m'] }, layers: { type: 'array', items: { type: 'string' } } } },
    );
  });
});

const liveKey = process.env.GEMINI_API_KEY;
describe('Gemini live API', { skip: liveKey ? false : 'GEMINI_API_KEY is not set (live tests are opt-in)' }, () => {
  it('answers a short prompt', async () => {
    const live = track(createGeminiProvider({ name: 'live', apiKey: liveKey }));
    const result = await live.languageModel!(process.env.GEMINI_LIVE_MODEL ?? 'gemini-2.5-flash', capabilities).generate({ ...hello, maxOutputTokens: 64 });
    assert.ok(result.usage.inputTokens > 0);
  });
});
