import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { collectParts, rejectsWithCode } from '../../../test/support/stream-parts.js';
import { useProviderUpstream } from '../../../test/support/provider-test-upstream.js';
import { fixture, jsonReply, startReplayUpstream, streamReply } from '../../../test/support/replay-upstream.js';
import type { CallOptions, LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import { type AnthropicProviderOptions, createAnthropicProvider } from './anthropic-provider.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const capabilities: ModelCapabilities = { images: true, documents: true, tools: true, systemPrompt: true };
const hello: CallOptions = { prompt: [{ role: 'user', content: [{ type: 'text', text: 'What is granite?' }] }], maxOutputTokens: 64 };
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);
const tools = [{ name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { type: 'object', properties: { rock: { type: 'string' } } } }];

const { upstream, track, onlyRequest } = useProviderUpstream(() => startReplayUpstream());

function model(options: Partial<AnthropicProviderOptions> = {}, modelCapabilities = capabilities): LanguageModel {
  const provider = track(createAnthropicProvider({ name: 'anthropic', baseUrl: upstream.url, apiKey: 'sk-ant-test', env: {}, ...options }));
  assert.ok(provider.languageModel);
  return provider.languageModel('claude-sonnet-4-20250514', modelCapabilities);
}

describe('AnthropicChatModel.generate', () => {
  it('posts /v1/messages with the key, version, betas, cache_control and every setting', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const result = await model({ headers: { 'x-tenant': 'geology' } }).generate({
      prompt: [
        { role: 'system', content: [{ type: 'text', text: 'You are a geologist.', cacheControl: true }] },
        { role: 'user', content: [{ type: 'text', text: 'How hard is this?' }, { type: 'image', format: 'png', data: png, cacheControl: true }] },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'toolu_1', toolName: 'get_rock_hardness', input: { rock: 'granite' } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_1', content: [{ type: 'json', value: { mohs: 6 } }], isError: false }] },
        { role: 'user', content: [{ type: 'text', text: 'And basalt?' }] },
      ],
      tools: [{ ...tools[0]!, cacheControl: true }],
      toolChoice: { type: 'auto' },
      maxOutputTokens: 64,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      extraBody: { anthropic_beta: ['token-efficient-tools-2025-02-19'], anthropic_version: 'bedrock-2023-05-31', metadata: { user_id: 'u-1' } },
    });
    const request = onlyRequest();
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/v1/messages');
    assert.equal(request.headers['x-api-key'], 'sk-ant-test');
    assert.equal(request.headers['anthropic-version'], '2023-06-01');
    assert.equal(request.headers['anthropic-beta'], 'token-efficient-tools-2025-02-19');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['x-tenant'], 'geology');
    assert.equal(request.headers.authorization, undefined);
    assert.deepEqual(request.body, {
      model: 'claude-sonnet-4-20250514',
      max_tokens: 64,
      system: [{ type: 'text', text: 'You are a geologist.', cache_control: { type: 'ephemeral' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'How hard is this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw==' }, cache_control: { type: 'ephemeral' } },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_rock_hardness', input: { rock: 'granite' } }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '{"mohs":6}' }] },
            { type: 'text', text: 'And basalt?' },
          ],
        },
      ],
      tools: [
        {
          name: 'get_rock_hardness',
          description: 'Hardness of a rock',
          input_schema: { type: 'object', properties: { rock: { type: 'string' } } },
          cache_control: { type: 'ephemeral' },
        },
      ],
      tool_choice: { type: 'auto' },
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
    });
    assert.deepEqual(result.content, [{ type: 'text', text: 'Granite is a coarse-grained igneous rock.' }]);
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, { inputTokens: 21, outputTokens: 12, cacheReadInputTokens: 1024 });
    assert.deepEqual(result.warnings, []);
    assert.equal((result.raw as { id: string }).id, 'msg_01XFDUDYJgAACzvnptvVoYEL');
  });

  it('returns thinking, text and a tool call', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'tool-call.json'));
    const result = await model().generate({ ...hello, tools, toolChoice: { type: 'required' } });
    assert.deepEqual((onlyRequest().body as { tool_choice: unknown }).tool_choice, { type: 'any' });
    assert.deepEqual(result.content, [
      { type: 'reasoning', text: 'The user wants the hardness of granite; I should call the tool.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
      { type: 'text', text: 'Let me look that up.' },
      { type: 'tool-call', toolCallId: 'toolu_01A09q90qw90lq917835lq9', toolName: 'get_rock_hardness', input: { rock: 'granite' } },
    ]);
    assert.equal(result.finishReason, 'tool-calls');
    assert.deepEqual(result.usage, { inputTokens: 412, outputTokens: 61 });
  });

  it('maps a named tool and none, and sends earlier thinking only with its signature', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    await model().generate({ ...hello, tools, toolChoice: { type: 'tool', toolName: 'get_rock_hardness' } });
    await model().generate({ ...hello, tools, toolChoice: { type: 'none' } });
    await model().generate({
      prompt: [
        hello.prompt[0]!,
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'signed', signature: 'sig-1' },
            { type: 'reasoning', text: 'unsigned' },
            { type: 'text', text: 'Igneous.' },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'More?' }] },
      ],
    });
    const bodies = upstream.requests.map((request) => request.body as Record<string, unknown>);
    assert.deepEqual(bodies[0]?.tool_choice, { type: 'tool', name: 'get_rock_hardness' });
    assert.deepEqual(bodies[1]?.tool_choice, { type: 'none' });
    assert.deepEqual((bodies[2]?.messages as unknown[] | undefined)?.[1], {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'signed', signature: 'sig-1' },
        { type: 'text', text: 'Igneous.' },
      ],
    });
    assert.equal(bodies[2]?.max_tokens, 4096, 'the default max_tokens when the call sets none');
  });

  it('sends PDFs as base64 and text documents as text; refuses Office files and content the model cannot take', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    await model().generate({
      prompt: [
        {
          role: 'user',
          content: [
            { type: 'document', format: 'pdf', name: 'survey', data: Buffer.from('%PDF-1.7') },
            { type: 'document', format: 'md', name: 'notes', data: Buffer.from('# Granite') },
            { type: 'text', text: 'Summarize.' },
          ],
        },
      ],
    });
    assert.deepEqual((onlyRequest().body as { messages: { content: unknown[] }[] }).messages[0]?.content.slice(0, 2), [
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjc=' }, title: 'survey' },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: '# Granite' }, title: 'notes' },
    ]);
    await rejectsWithCode(
      model().generate({ prompt: [{ role: 'user', content: [{ type: 'document', format: 'docx', name: 'report', data: png }] }] }),
      'ValidationException',
      /docx documents/,
    );
    await rejectsWithCode(
      model({}, { ...capabilities, images: false }).generate({ prompt: [{ role: 'user', content: [{ type: 'image', format: 'png', data: png }] }] }),
      'ValidationException',
      /image content blocks/,
    );
    assert.equal(upstream.requests.length, 1, 'refused content never reaches the API');
  });

  it('sends a response format as output_config.format, merged with an output_config from extraBody', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const schema = { type: 'object', properties: { rock: { type: 'string' }, mohs: { type: 'number' } }, required: ['rock', 'mohs'], additionalProperties: false };
    const claude = model();
    await claude.generate({ ...hello, responseFormat: { type: 'json-schema', schema, name: 'rock' } });
    await claude.generate({ ...hello, responseFormat: { type: 'json-schema', schema }, extraBody: { output_config: { effort: 'low' } } });
    await claude.generate({ ...hello, extraBody: { output_config: { effort: 'low' } } });
    const bodies = upstream.requests.map((request) => (request.body as Record<string, unknown>).output_config);
    assert.deepEqual(bodies, [
      { format: { type: 'json_schema', schema } },
      { format: { type: 'json_schema', schema }, effort: 'low' },
      { effort: 'low' },
    ]);
  });

  it('sends a reasoning effort as output_config.effort, beside a format, under an output_config from extraBody', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const schema = { type: 'object', properties: { rock: { type: 'string' } }, required: ['rock'], additionalProperties: false };
    const claude = model();
    for (const reasoningEffort of ['low', 'medium', 'high', 'xhigh', 'max'] as const) await claude.generate({ ...hello, reasoningEffort });
    await claude.generate({ ...hello, reasoningEffort: 'high', responseFormat: { type: 'json-schema', schema } });
    await claude.generate({ ...hello, reasoningEffort: 'high', extraBody: { output_config: { effort: 'low' } } });
    await claude.generate({ ...hello, reasoningEffort: 'max', extraBody: { output_config: { task_budget: 2048 } } });
    const bodies = upstream.requests.map((request) => (request.body as Record<string, unknown>).output_config);
    assert.deepEqual(bodies, [
      { effort: 'low' },
      { effort: 'medium' },
      { effort: 'high' },
      { effort: 'xhigh' },
      { effort: 'max' },
      { format: { type: 'json_schema', schema }, effort: 'high' },
      { effort: 'low' },
      { effort: 'max', task_budget: 2048 },
    ]);
  });

  it('reads the API key from ANTHROPIC_API_KEY when the configuration sets none', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'text.json'));
    await model({ apiKey: undefined, env: { ANTHROPIC_API_KEY: 'sk-ant-from-env' } }).generate(hello);
    assert.equal(onlyRequest().headers['x-api-key'], 'sk-ant-from-env');
  });
});

describe('AnthropicChatModel.stream', () => {
  it('streams text with usage, cache writes included, skipping pings', async () => {
    upstream.route = () => streamReply(fixture(fixtures, 'text.chunks.txt'), 'text/event-stream');
    const { stream } = await model().stream(hello);
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Granite is a coarse-grained' },
      { type: 'text-delta', id: 'text-0', delta: ' igneous rock.' },
      { type: 'text-end', id: 'text-0' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 21, outputTokens: 12, cacheWriteInputTokens: 2048 } },
    ]);
    assert.deepEqual(onlyRequest().body, {
      model: 'claude-sonnet-4-20250514',
      max_tokens: 64,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is granite?' }] }],
      stream: true,
    });
  });

  it('streams thinking, text and a tool call as deltas', async () => {
    upstream.route = () => streamReply(fixture(fixtures, 'tool-call.chunks.txt'), 'text/event-stream');
    const { stream } = await model().stream({ ...hello, tools });
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'reasoning-start', id: 'reasoning-0' },
      { type: 'reasoning-delta', id: 'reasoning-0', delta: 'I should call the tool.' },
      { type: 'reasoning-end', id: 'reasoning-0' },
      { type: 'text-start', id: 'text-1' },
      { type: 'text-delta', id: 'text-1', delta: 'Let me look that up.' },
      { type: 'text-end', id: 'text-1' },
      { type: 'tool-input-start', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', toolName: 'get_rock_hardness' },
      { type: 'tool-input-delta', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', delta: '{"rock": "gra' },
      { type: 'tool-input-delta', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', delta: 'nite"}' },
      { type: 'tool-input-end', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6' },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 472, outputTokens: 89 } },
    ]);
  });

  it('turns an error event mid-stream into an error part with its code', async () => {
    upstream.route = () => streamReply(fixture(fixtures, 'overloaded.chunks.txt'), 'text/event-stream');
    const { stream } = await model().stream(hello);
    const parts = await collectParts(stream);
    assert.deepEqual(parts.slice(-2), [
      { type: 'text-delta', id: 'text-0', delta: 'Granite' },
      { type: 'error', code: 'ServiceUnavailableException', message: 'Anthropic is overloaded: Overloaded' },
    ]);
  });

  it('reports a stream cut off before message_stop', async () => {
    const text = fixture(fixtures, 'text.chunks.txt');
    upstream.route = () => streamReply(text.slice(0, text.indexOf('event: message_delta')), 'text/event-stream');
    const { stream } = await model().stream(hello);
    const parts = await collectParts(stream);
    assert.deepEqual(parts.at(-1), { type: 'error', code: 'ModelStreamErrorException', message: 'Anthropic ended the stream before it finished.' });
  });
});

describe('AnthropicChatModel errors', () => {
  it('maps 429 to ThrottlingException with the retry-after hint', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'rate-limited.json'), 429, { 'retry-after': '7' });
    const error = await rejectsWithCode(model().generate(hello), 'ThrottlingException', /exceed the rate limit/);
    assert.equal(error.retryAfterSeconds, 7);
    assert.equal(error.isRetryable, true);
    await rejectsWithCode(model().stream(hello), 'ThrottlingException');
  });

  it('maps 529, 400, 401 and 500', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'overloaded.json'), 529);
    await rejectsWithCode(model().generate(hello), 'ServiceUnavailableException', /Anthropic is unavailable: Overloaded/);
    upstream.route = () => jsonReply(fixture(fixtures, 'bad-request.json'), 400);
    await rejectsWithCode(model().generate(hello), 'ValidationException', /does not appear to be a valid png image/);
    upstream.route = () => jsonReply(fixture(fixtures, 'unauthorized.json'), 401);
    const denied = await rejectsWithCode(model().generate(hello), 'ModelErrorException', /credentials \(401\).*apiKey/);
    assert.doesNotMatch(denied.message, /sk-ant-test/, 'the key never appears in an error');
    upstream.route = () => jsonReply('{"type":"error","error":{"type":"api_error","message":"Internal server error"}}', 500);
    const failed = await rejectsWithCode(model().generate(hello), 'ModelErrorException', /status 500: Internal server error/);
    assert.deepEqual(failed.fields, { originalStatusCode: 500 });
  });
});

describe('AnthropicChatModel.countTokens', () => {
  it('posts the prompt-shaping fields to /v1/messages/count_tokens', async () => {
    upstream.route = () => jsonReply(fixture(fixtures, 'count-tokens.json'));
    const count = await model().countTokens({
      prompt: [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, ...hello.prompt],
      tools,
      temperature: 0.5,
      maxOutputTokens: 10,
      extraBody: { thinking: { type: 'enabled', budget_tokens: 1024 } },
    });
    assert.equal(count, 2095);
    const request = onlyRequest();
    assert.equal(request.path, '/v1/messages/count_tokens');
    assert.deepEqual(request.body, {
      model: 'claude-sonnet-4-20250514',
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is granite?' }] }],
      tools: [{ name: 'get_rock_hardness', description: 'Hardness of a rock', input_schema: { type: 'object', properties: { rock: { type: 'string' } } } }],
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
  });
});

const liveKey = process.env.ANTHROPIC_API_KEY;
describe('Anthropic live API', { skip: liveKey ? false : 'ANTHROPIC_API_KEY is not set (live tests are opt-in)' }, () => {
  it('answers a short prompt', async () => {
    const provider = track(createAnthropicProvider({ name: 'live', apiKey: liveKey }));
    const live = provider.languageModel!(process.env.ANTHROPIC_LIVE_MODEL ?? 'claude-3-5-haiku-latest', capabilities);
    const result = await live.generate({ ...hello, maxOutputTokens: 16 });
    assert.ok(result.content.some((part) => part.type === 'text' && part.text.length > 0));
    assert.ok(result.usage.inputTokens > 0);
  });
});
