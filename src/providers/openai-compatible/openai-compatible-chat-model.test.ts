import assert from 'node:assert/strict';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type AwsErrorCode, OutcropError } from '../../core/errors.js';
import type { CallOptions, LanguageModel, ModelCapabilities, StreamPart } from '../../core/inference/language-model.js';
import type { Provider } from '../../core/models/provider.js';
import { createOpenAICompatibleProvider, type OpenAICompatibleProviderOptions } from './openai-compatible-provider.js';

type Handler = (req: IncomingMessage, body: Record<string, unknown>, res: ServerResponse) => void;

interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

const capabilities: ModelCapabilities = { images: true, documents: false, tools: true, systemPrompt: true };
const hello: CallOptions = { prompt: [{ role: 'user', content: [{ type: 'text', text: 'What is granite?' }] }] };

let server: Server;
let baseUrl: string;
let handler: Handler;
let requests: Recorded[];
const providers: Provider[] = [];

function model(options: Partial<OpenAICompatibleProviderOptions> = {}): LanguageModel {
  const provider = createOpenAICompatibleProvider({ name: 'local', baseUrl: `${baseUrl}/`, ...options });
  providers.push(provider);
  return languageModel(provider, 'upstream-model');
}

function languageModel(provider: Provider, modelId: string): LanguageModel {
  assert.ok(provider.languageModel, 'an OpenAI-compatible provider serves text models');
  return provider.languageModel(modelId, capabilities);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Writes an SSE response: each chunk as a `data:` event, with keep-alive comments between. */
function sse(res: ServerResponse, chunks: unknown[], options: { done?: boolean } = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const chunk of chunks) res.write(`: ping\n\ndata: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\n\n`);
  if (options.done !== false) res.write('data: [DONE]\n\n');
  res.end();
}

const delta = (value: Record<string, unknown>, finish: string | null = null) => ({ choices: [{ index: 0, delta: value, finish_reason: finish }] });

/** Stream parts with errors reduced to their code and message, for deepEqual. */
async function parts(stream: ReadableStream<StreamPart>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const part of stream) {
    if (part.type === 'error') {
      assert.ok(OutcropError.isInstance(part.error), `expected an OutcropError, got ${String(part.error)}`);
      out.push({ type: 'error', code: part.error.code, message: part.error.message });
    } else {
      out.push(part);
    }
  }
  return out;
}

async function rejectsWith(promise: Promise<unknown>, code: AwsErrorCode, message?: RegExp): Promise<OutcropError> {
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => {
    caught = error;
    assert.ok(OutcropError.isInstance(error), `expected an OutcropError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
  return caught as OutcropError;
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

beforeEach(() => {
  requests = [];
  handler = (_req, _body, res) => json(res, 500, { error: { message: 'no handler set' } });
});

after(async () => {
  await Promise.all(providers.map((provider) => provider.close()));
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('OpenAICompatibleChatModel.generate', () => {
  it('posts the chat request: model, messages, tools, settings and extraBody', async () => {
    handler = (_req, _body, res) => json(res, 200, { id: 'x', choices: [{ message: { content: 'Igneous.' }, finish_reason: 'stop' }] });
    const result = await model({ apiKey: 'sk-test', headers: { 'x-tenant': 'geology' } }).generate({
      prompt: [
        { role: 'system', content: [{ type: 'text', text: 'You are a geologist.' }] },
        { role: 'user', content: [{ type: 'text', text: 'How hard is granite?' }] },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'get_rock_hardness', input: { rock: 'granite' } }] },
        { role: 'user', content: [{ type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'json', value: { mohs: 6 } }], isError: false }] },
      ],
      tools: [{ name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { type: 'object', properties: { rock: { type: 'string' } } } }],
      toolChoice: { type: 'auto' },
      maxOutputTokens: 64,
      temperature: 0.2,
      topP: 0.9,
      stopSequences: ['END'],
      extraBody: { top_k: 7, temperature: 0.3, chat_template_kwargs: { enable_thinking: false } },
    });
    assert.equal(requests.length, 1);
    const [request] = requests as [Recorded];
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, 'Bearer sk-test');
    assert.equal(request.headers['x-tenant'], 'geology');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, {
      model: 'upstream-model',
      messages: [
        { role: 'system', content: 'You are a geologist.' },
        { role: 'user', content: 'How hard is granite?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_rock_hardness', arguments: '{"rock":"granite"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"mohs":6}' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'get_rock_hardness', description: 'Hardness of a rock', parameters: { type: 'object', properties: { rock: { type: 'string' } } } },
        },
      ],
      tool_choice: 'auto',
      max_tokens: 64,
      temperature: 0.3,
      top_p: 0.9,
      top_k: 7,
      stop: ['END'],
      chat_template_kwargs: { enable_thinking: false },
    });
    assert.deepEqual(result.content, [{ type: 'text', text: 'Igneous.' }]);
    assert.equal(result.finishReason, 'stop');
  });

  it('maps every tool choice', async () => {
    handler = (_req, _body, res) => json(res, 200, { choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }] });
    const chat = model();
    const tools = [{ name: 'lookup', inputSchema: { type: 'object' } }];
    await chat.generate({ ...hello, tools });
    await chat.generate({ ...hello, tools, toolChoice: { type: 'required' } });
    await chat.generate({ ...hello, tools, toolChoice: { type: 'none' } });
    await chat.generate({ ...hello, tools, toolChoice: { type: 'tool', toolName: 'lookup' } });
    await chat.generate({ ...hello, toolChoice: { type: 'required' } });
    assert.deepEqual(
      requests.map((request) => request.body.tool_choice),
      [undefined, 'required', 'none', { type: 'function', function: { name: 'lookup' } }, undefined],
    );
    assert.deepEqual(requests[0]?.body.tools, [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }]);
    assert.equal('tools' in (requests[4]?.body ?? {}), false);
    assert.equal('stream' in (requests[0]?.body ?? {}), false);
  });

  it('sends a response format as a strict json_schema response_format, its name made valid, streaming too', async () => {
    handler = (_req, body, res) =>
      body.stream ? sse(res, [delta({ content: '{}' }, 'stop')]) : json(res, 200, { choices: [{ message: { content: '{}' }, finish_reason: 'stop' }] });
    const schema = { type: 'object', properties: { rock: { type: 'string' }, mohs: { type: 'number' } }, required: ['rock', 'mohs'], additionalProperties: false };
    const chat = model();
    await chat.generate({ ...hello, responseFormat: { type: 'json-schema', schema, name: 'rock info/v2', description: 'A rock and its hardness' } });
    await parts((await chat.stream({ ...hello, responseFormat: { type: 'json-schema', schema } })).stream);
    await chat.generate({ ...hello, responseFormat: { type: 'json-schema', schema, name: 'x'.repeat(70) } });
    await chat.generate(hello);
    assert.deepEqual(requests[0]?.body.response_format, {
      type: 'json_schema',
      json_schema: { name: 'rock_info_v2', schema, strict: true, description: 'A rock and its hardness' },
    });
    assert.deepEqual(requests[1]?.body.response_format, { type: 'json_schema', json_schema: { name: 'response', schema, strict: true } });
    assert.equal(requests[1]?.body.stream, true);
    assert.deepEqual(requests[2]?.body.response_format, { type: 'json_schema', json_schema: { name: 'x'.repeat(64), schema, strict: true } });
    assert.equal('response_format' in (requests[3]?.body ?? {}), false);
  });

  it('sends a reasoning effort as reasoning_effort, streaming too, past high as high with a warning', async () => {
    handler = (_req, body, res) =>
      body.stream ? sse(res, [delta({ content: 'Igneous.' }, 'stop')]) : json(res, 200, { choices: [{ message: { content: 'Igneous.' }, finish_reason: 'stop' }] });
    const chat = model();
    const low = await chat.generate({ ...hello, reasoningEffort: 'low' });
    const streamed = await parts((await chat.stream({ ...hello, reasoningEffort: 'medium' })).stream);
    const max = await chat.generate({ ...hello, reasoningEffort: 'max' });
    const own = await chat.generate({ ...hello, reasoningEffort: 'max', extraBody: { reasoning_effort: 'minimal' } });
    await chat.generate(hello);
    assert.deepEqual(
      requests.map((request) => request.body.reasoning_effort),
      ['low', 'medium', 'high', 'minimal', undefined],
    );
    assert.deepEqual(low.warnings, []);
    assert.deepEqual(streamed[0], { type: 'stream-start', warnings: [] });
    assert.deepEqual(max.warnings, [{ setting: 'reasoningEffort', details: "The backend's reasoning_effort has no effort level max; it was sent as high." }]);
    assert.deepEqual(own.warnings, [], "the caller's own reasoning_effort wins, unchanged");
  });

  it('returns reasoning, text and tool calls with the finish reason and usage', async () => {
    handler = (_req, _body, res) =>
      json(res, 200, {
        choices: [
          {
            message: {
              reasoning_content: 'The user wants hardness.',
              content: 'Let me check.',
              tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'get_rock_hardness', arguments: '{"rock":"granite"}' } }],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 20, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 16 } },
      });
    const result = await model().generate(hello);
    assert.deepEqual(result.content, [
      { type: 'reasoning', text: 'The user wants hardness.' },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool-call', toolCallId: 'call_9', toolName: 'get_rock_hardness', input: { rock: 'granite' } },
    ]);
    assert.equal(result.finishReason, 'tool-calls');
    assert.deepEqual(result.usage, { inputTokens: 20, outputTokens: 9, cacheReadInputTokens: 16 });
  });

  it('maps length and a matched stop string', async () => {
    handler = (_req, body, res) =>
      json(res, 200, {
        choices: [{ message: { content: 'x' }, finish_reason: body.max_tokens === 1 ? 'length' : 'stop', stop_reason: body.max_tokens === 1 ? null : 'END' }],
      });
    assert.equal((await model().generate({ ...hello, maxOutputTokens: 1 })).finishReason, 'length');
    assert.equal((await model().generate({ ...hello, stopSequences: ['END'] })).finishReason, 'stop-sequence');
  });

  it('turns tool-call arguments that are not JSON into ModelErrorException', async () => {
    handler = (_req, _body, res) =>
      json(res, 200, { choices: [{ message: { tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{"rock":' } }] }, finish_reason: 'tool_calls' }] });
    await rejectsWith(model().generate(hello), 'ModelErrorException', /not valid JSON/);
  });

  it('turns a response without choices into ModelErrorException', async () => {
    handler = (_req, _body, res) => json(res, 200, { choices: [] });
    await rejectsWith(model().generate(hello), 'ModelErrorException', /unexpected response/);
  });
});

describe('OpenAICompatibleChatModel.stream', () => {
  it('emits the parts of a text stream, usage from the final chunk', async () => {
    handler = (_req, _body, res) =>
      sse(res, [
        delta({ role: 'assistant', content: '' }),
        delta({ content: 'Gran' }),
        delta({ content: 'ite ✓' }),
        delta({}, 'stop'),
        { choices: [], usage: { prompt_tokens: 12, completion_tokens: 3 } },
      ]);
    const { stream } = await model().stream(hello);
    assert.deepEqual(await parts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 'text' },
      { type: 'text-delta', id: 'text', delta: 'Gran' },
      { type: 'text-delta', id: 'text', delta: 'ite ✓' },
      { type: 'text-end', id: 'text' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 12, outputTokens: 3 } },
    ]);
    assert.equal(requests[0]?.body.stream, true);
    assert.deepEqual(requests[0]?.body.stream_options, { include_usage: true });
  });

  it('emits the parts of a streamed tool call after text and reasoning', async () => {
    handler = (_req, _body, res) =>
      sse(res, [
        delta({ reasoning_content: 'Need a tool.' }),
        delta({ content: 'Checking.' }),
        delta({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_rock_hardness', arguments: '' } }] }),
        delta({ tool_calls: [{ index: 0, function: { arguments: '{"rock":' } }] }),
        delta({ tool_calls: [{ index: 0, function: { arguments: '"granite"}' } }] }),
        delta({ tool_calls: [{ index: 1, id: 'call_2', function: { name: 'get_rock_age', arguments: '{}' } }] }),
        delta({}, 'tool_calls'),
        { choices: [], usage: { prompt_tokens: 30, completion_tokens: 20 } },
      ]);
    const { stream } = await model().stream(hello);
    assert.deepEqual(await parts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'reasoning-start', id: 'reasoning' },
      { type: 'reasoning-delta', id: 'reasoning', delta: 'Need a tool.' },
      { type: 'reasoning-end', id: 'reasoning' },
      { type: 'text-start', id: 'text' },
      { type: 'text-delta', id: 'text', delta: 'Checking.' },
      { type: 'text-end', id: 'text' },
      { type: 'tool-input-start', id: 'call_1', toolName: 'get_rock_hardness' },
      { type: 'tool-input-delta', id: 'call_1', delta: '{"rock":' },
      { type: 'tool-input-delta', id: 'call_1', delta: '"granite"}' },
      { type: 'tool-input-end', id: 'call_1' },
      { type: 'tool-input-start', id: 'call_2', toolName: 'get_rock_age' },
      { type: 'tool-input-delta', id: 'call_2', delta: '{}' },
      { type: 'tool-input-end', id: 'call_2' },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 30, outputTokens: 20 } },
    ]);
  });

  it('finishes on finish_reason even when the backend sends no [DONE]', async () => {
    handler = (_req, _body, res) => sse(res, [delta({ content: 'Hi' }, 'stop')], { done: false });
    const { stream } = await model().stream(hello);
    const out = await parts(stream);
    assert.deepEqual(out.at(-1), { type: 'finish', finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } });
  });

  it('turns an {"error":...} chunk into an error part and ignores what follows', async () => {
    handler = (_req, _body, res) => sse(res, [delta({ content: 'Gran' }), { error: { message: 'CUDA out of memory', code: 500 } }, delta({ content: 'ite' }, 'stop')]);
    const { stream } = await model().stream(hello);
    assert.deepEqual(await parts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 'text' },
      { type: 'text-delta', id: 'text', delta: 'Gran' },
      { type: 'error', code: 'ModelStreamErrorException', message: 'The model backend failed mid-stream: CUDA out of memory' },
    ]);
  });

  it('turns an unparsable chunk into an error part', async () => {
    handler = (_req, _body, res) => sse(res, ['{"choices": [']);
    const { stream } = await model().stream(hello);
    const out = await parts(stream);
    assert.deepEqual(out.at(-1), { type: 'error', code: 'ModelStreamErrorException', message: 'The model backend sent an unparsable stream chunk: {"choices": [' });
  });

  it('ends with an error part when the stream stops before a finish_reason', async () => {
    handler = (_req, _body, res) => sse(res, [delta({ content: 'Gran' })], { done: false });
    const { stream } = await model().stream(hello);
    assert.deepEqual(await parts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 'text' },
      { type: 'text-delta', id: 'text', delta: 'Gran' },
      { type: 'text-end', id: 'text' },
      { type: 'error', code: 'ModelStreamErrorException', message: 'The model backend ended the stream before it finished.' },
    ]);
  });
});

describe('OpenAICompatibleChatModel failures', () => {
  it('turns 429 with Retry-After into ThrottlingException with retryAfterSeconds', async () => {
    handler = (_req, _body, res) => json(res, 429, { error: { message: 'Rate limit reached', type: 'rate_limit' } }, { 'retry-after': '7' });
    const error = await rejectsWith(model().generate(hello), 'ThrottlingException', /Rate limit reached/);
    assert.equal(error.retryAfterSeconds, 7);
    assert.equal(error.statusCode, 429);
    assert.equal(error.isRetryable, true);
    await rejectsWith(model().stream(hello), 'ThrottlingException');
  });

  it('turns 503 into ServiceUnavailableException', async () => {
    handler = (_req, _body, res) => json(res, 503, { message: 'loading model' });
    await rejectsWith(model().generate(hello), 'ServiceUnavailableException', /loading model/);
  });

  it('turns 400 into ValidationException with the backend message', async () => {
    handler = (_req, _body, res) => json(res, 400, { error: { message: "This model's maximum context length is 8192 tokens" } });
    await rejectsWith(model().generate(hello), 'ValidationException', /maximum context length is 8192 tokens/);
  });

  it('turns a refused connection into ServiceUnavailableException', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = createOpenAICompatibleProvider({ name: 'gone', baseUrl: `http://127.0.0.1:${port}/v1` });
    providers.push(refused);
    await rejectsWith(languageModel(refused, 'm').generate(hello), 'ServiceUnavailableException', new RegExp(`127\\.0\\.0\\.1:${port} is unreachable`));
  });

  it('turns a backend that sends no headers, or stalls mid-body, into ModelTimeoutException', async () => {
    handler = (req, _body, res) => {
      if (req.headers['x-case'] === 'no-headers') return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"choices":');
    };
    // Both at once: undici's timers tick coarsely, so each wait costs up to a second.
    await Promise.all([
      rejectsWith(model({ timeoutMs: 100, headers: { 'x-case': 'no-headers' } }).generate(hello), 'ModelTimeoutException', /did not answer in time/),
      rejectsWith(model({ idleTimeoutMs: 100, headers: { 'x-case': 'stalled-body' } }).generate(hello), 'ModelTimeoutException', /stopped sending/),
    ]);
  });

  it('aborts the upstream request when the signal aborts', async () => {
    let socketClosed!: Promise<void>;
    const received = new Promise<void>((resolve) => {
      handler = (req) => {
        socketClosed = new Promise<void>((closed) => req.socket.once('close', () => closed()));
        resolve();
      };
    });
    const controller = new AbortController();
    const pending = model().generate({ ...hello, abortSignal: controller.signal });
    await received;
    controller.abort();
    await assert.rejects(pending, (error: Error) => error.name === 'AbortError');
    await socketClosed;
  });

  it('closes the upstream connection when a stream is aborted midway', async () => {
    let socketClosed!: Promise<void>;
    handler = (req, _body, res) => {
      socketClosed = new Promise<void>((closed) => req.socket.once('close', () => closed()));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify(delta({ content: 'Gran' }))}\n\n`);
    };
    const controller = new AbortController();
    const { stream } = await model().stream({ ...hello, abortSignal: controller.signal });
    const reader = stream.getReader();
    assert.deepEqual((await reader.read()).value, { type: 'stream-start', warnings: [] });
    assert.deepEqual((await reader.read()).value, { type: 'text-start', id: 'text' });
    controller.abort();
    await socketClosed;
    await assert.rejects(async () => {
      for (;;) if ((await reader.read()).done) break;
    });
  });
});
