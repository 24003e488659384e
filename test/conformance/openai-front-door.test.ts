import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import OpenAI, { APIError, AuthenticationError, BadRequestError, InternalServerError, NotFoundError, RateLimitError } from 'openai';
import { sendSigned } from '../support/signed-request.js';
import { type TestServer, startTestServer, testCredentials } from '../support/test-server.js';

/**
 * The official `openai` client (and the Python one, where installed) against Outcrop's
 * OpenAI-compatible front door: same port, same credentials and catalog as the Bedrock surfaces.
 */

let server: TestServer;

function client(apiKey = testCredentials.apiKey): OpenAI {
  return new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0 });
}

/** The last request the fake upstream received for a model. */
function lastUpstreamRequest(model: string): Record<string, unknown> {
  const request = server.upstream.requests.filter((recorded) => recorded.body.model === model).at(-1);
  assert.ok(request, `the upstream received no request for ${model}`);
  return request.body;
}

const rockTool = {
  type: 'function' as const,
  function: {
    name: 'get_rock_hardness',
    description: 'Hardness of a rock',
    parameters: { type: 'object', properties: { rock: { type: 'string' }, scale: { type: 'string' } }, required: ['rock'] },
  },
};

before(async () => {
  server = await startTestServer({
    extraConfig: '  - { id: outcrop.json, provider: fake, upstreamModel: json-object, providerName: Outcrop }\n',
  });
});

after(async () => {
  await server.close();
});

describe('chat completions', () => {
  it('answers a chat in OpenAI shape and sends the neutral call upstream', async () => {
    const completion = await client().chat.completions.create({
      model: 'outcrop.text',
      messages: [
        { role: 'system', content: 'You are a geologist.' },
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'What is granite?' }] },
      ],
      max_completion_tokens: 50,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      user: 'someone',
    });
    assert.match(completion.id, /^chatcmpl-/);
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.model, 'outcrop.text');
    assert.equal(completion.choices[0]?.message.role, 'assistant');
    assert.equal(completion.choices[0]?.message.content, 'Granite is an igneous rock.');
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
    assert.deepEqual({ ...completion.usage, prompt_tokens_details: undefined }, { prompt_tokens: 21, completion_tokens: 8, total_tokens: 29, prompt_tokens_details: undefined });
    const upstream = lastUpstreamRequest('text');
    assert.deepEqual(upstream.messages, [
      { role: 'system', content: 'You are a geologist.' },
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is granite?' },
    ]);
    assert.equal(upstream.max_tokens, 50);
    assert.equal(upstream.temperature, 0.2);
    assert.equal(upstream.top_p, 0.9);
    assert.deepEqual(upstream.stop, ['END']);
    assert.equal(upstream.seed, 7, 'fields the front door does not read reach the backend');
    assert.equal(upstream.user, undefined, 'bookkeeping fields stay behind');
  });

  it('resolves Bedrock aliases and inference-profile IDs through the same catalog', async () => {
    for (const model of ['anthropic.claude-3-haiku-20240307-v1:0', 'us.anthropic.claude-3-haiku-20240307-v1:0']) {
      const completion = await client().chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] });
      assert.equal(completion.model, model);
      assert.equal(completion.choices[0]?.message.content, 'Granite is an igneous rock.');
    }
  });

  it('passes images as data URLs', async () => {
    const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    await client().chat.completions.create({
      model: 'outcrop.text',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What rock?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${pixel}` } }] }],
    });
    const upstream = lastUpstreamRequest('text');
    assert.deepEqual(upstream.messages, [
      { role: 'user', content: [{ type: 'text', text: 'What rock?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${pixel}` } }] },
    ]);
    await assert.rejects(
      client().chat.completions.create({
        model: 'outcrop.text',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/granite.png' } }] }],
      }),
      (error: unknown) => error instanceof BadRequestError && error.param === 'messages[0].content[0].image_url.url',
    );
  });

  it('streams text chunks, usage last, then [DONE]', async () => {
    const stream = await client().chat.completions.create({
      model: 'outcrop.text',
      messages: [{ role: 'user', content: 'What is granite?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const finishReasons: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      assert.equal(chunk.object, 'chat.completion.chunk');
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) finishReasons.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'Granite is an igneous rock.');
    assert.deepEqual(finishReasons, ['stop']);
    assert.equal(usage?.total_tokens, 29);
    assert.ok(chunks >= 5);
    assert.equal(lastUpstreamRequest('text').stream, true);
  });

  it('sends raw server-sent events that end with data: [DONE]', async () => {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testCredentials.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'outcrop.text', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = (await response.text()).split('\n\n').filter(Boolean);
    assert.ok(events.every((event) => event.startsWith('data: ')));
    assert.equal(events.at(-1), 'data: [DONE]');
    const first = JSON.parse(events[0]?.slice(6) ?? '{}');
    assert.deepEqual(first.choices[0].delta, { role: 'assistant', content: '', refusal: null });
    assert.equal('usage' in first, false, 'no usage field without include_usage');
  });
});

describe('tools', () => {
  it('returns tool calls and takes the tool results back', async () => {
    const completion = await client().chat.completions.create({
      model: 'outcrop.tools',
      messages: [{ role: 'user', content: 'How hard is granite?' }],
      tools: [rockTool],
      tool_choice: 'required',
    });
    const choice = completion.choices[0];
    assert.equal(choice?.finish_reason, 'tool_calls');
    assert.equal(choice?.message.content, null);
    const call = choice?.message.tool_calls?.[0];
    assert.ok(call && call.type === 'function');
    assert.equal(call.id, 'call_8f2b1c');
    assert.equal(call.function.name, 'get_rock_hardness');
    assert.deepEqual(JSON.parse(call.function.arguments), { rock: 'granite', scale: 'mohs' });
    const upstream = lastUpstreamRequest('tool-call');
    assert.equal(upstream.tool_choice, 'required');
    assert.deepEqual(upstream.tools, [rockTool]);

    await client().chat.completions.create({
      model: 'outcrop.tools',
      messages: [
        { role: 'user', content: 'How hard is granite?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '6.5' },
      ],
      tools: [rockTool],
      tool_choice: { type: 'function', function: { name: 'get_rock_hardness' } },
    });
    const followUp = lastUpstreamRequest('tool-call');
    assert.deepEqual((followUp.messages as unknown[]).slice(1), [
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_8f2b1c', type: 'function', function: { name: 'get_rock_hardness', arguments: '{"rock":"granite","scale":"mohs"}' } }] },
      { role: 'tool', tool_call_id: 'call_8f2b1c', content: '6.5' },
    ]);
    assert.deepEqual(followUp.tool_choice, { type: 'function', function: { name: 'get_rock_hardness' } });
  });

  it('streams tool-call deltas with index, id and name first', async () => {
    const stream = await client().chat.completions.create({
      model: 'outcrop.tools',
      messages: [{ role: 'user', content: 'How hard is granite?' }],
      tools: [rockTool],
      stream: true,
    });
    const calls: { id?: string; name?: string; arguments: string }[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const call = (calls[delta.index] ??= { arguments: '' });
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name = delta.function.name;
        call.arguments += delta.function?.arguments ?? '';
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.id, 'call_8f2b1c');
    assert.equal(calls[0]?.name, 'get_rock_hardness');
    assert.deepEqual(JSON.parse(calls[0]?.arguments ?? ''), { rock: 'granite', scale: 'mohs' });
    assert.equal(finish, 'tool_calls');
  });

  it('refuses a tool message that answers no tool call, and a named tool that is not defined', async () => {
    await assert.rejects(
      client().chat.completions.create({ model: 'outcrop.tools', messages: [{ role: 'user', content: 'Hi' }, { role: 'tool', tool_call_id: 'call_x', content: '1' }] }),
      (error: unknown) => error instanceof BadRequestError && error.param === 'messages[1].tool_call_id',
    );
    await assert.rejects(
      client().chat.completions.create({
        model: 'outcrop.tools',
        messages: [{ role: 'user', content: 'Hi' }],
        tools: [rockTool],
        tool_choice: { type: 'function', function: { name: 'dig' } },
      }),
      (error: unknown) => error instanceof BadRequestError && error.param === 'tool_choice.function.name',
    );
  });
});

describe('JSON mode', () => {
  it('passes response_format to the backend, asks for JSON, and returns the JSON answer', async () => {
    const completion = await client().chat.completions.create({
      model: 'outcrop.json',
      messages: [{ role: 'user', content: 'Describe granite.' }],
      response_format: { type: 'json_object' },
    });
    assert.deepEqual(JSON.parse(completion.choices[0]?.message.content ?? ''), { rock: 'granite', hardness: 6.5 });
    const upstream = lastUpstreamRequest('json-object');
    assert.deepEqual(upstream.response_format, { type: 'json_object' });
    const messages = upstream.messages as { role: string; content: string }[];
    assert.equal(messages[0]?.role, 'system');
    assert.match(messages[0]?.content ?? '', /JSON object/);
  });

  it('leaves the prompt alone when it already asks for JSON', async () => {
    await client().chat.completions.create({
      model: 'outcrop.json',
      messages: [{ role: 'user', content: 'Describe granite as JSON.' }],
      response_format: { type: 'json_object' },
    });
    assert.deepEqual(lastUpstreamRequest('json-object').messages, [{ role: 'user', content: 'Describe granite as JSON.' }]);
  });

  it('checks a json_schema answer, streamed too', async () => {
    const schema = { type: 'object', properties: { rock: { type: 'string' }, hardness: { type: 'number' } }, required: ['rock', 'hardness'], additionalProperties: false };
    const response_format = { type: 'json_schema' as const, json_schema: { name: 'rock', schema, strict: true } };
    const completion = await client().chat.completions.create({ model: 'outcrop.json', messages: [{ role: 'user', content: 'Granite?' }], response_format });
    assert.equal(JSON.parse(completion.choices[0]?.message.content ?? '').rock, 'granite');
    assert.deepEqual(lastUpstreamRequest('json-object').response_format, response_format);
    const stream = await client().chat.completions.create({ model: 'outcrop.json', messages: [{ role: 'user', content: 'Granite?' }], response_format, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.deepEqual(JSON.parse(text), { rock: 'granite', hardness: 6.5 });

    const wrongSchema = { ...schema, required: ['rock', 'color'] };
    await assert.rejects(
      client().chat.completions.create({
        model: 'outcrop.json',
        messages: [{ role: 'user', content: 'Granite?' }],
        response_format: { type: 'json_schema', json_schema: { name: 'rock', schema: wrongSchema } },
      }),
      (error: unknown) => error instanceof InternalServerError && error.code === 'invalid_json_output' && /color/.test(error.message),
    );
  });

  it('fails in OpenAI error shape when the answer is not JSON, plain or streamed', async () => {
    await assert.rejects(
      client().chat.completions.create({ model: 'outcrop.text', messages: [{ role: 'user', content: 'Granite as JSON?' }], response_format: { type: 'json_object' } }),
      (error: unknown) => error instanceof InternalServerError && error.status === 500 && error.code === 'invalid_json_output' && error.type === 'server_error',
    );
    const stream = await client().chat.completions.create({
      model: 'outcrop.text',
      messages: [{ role: 'user', content: 'Granite as JSON?' }],
      response_format: { type: 'json_object' },
      stream: true,
    });
    await assert.rejects(
      (async () => {
        for await (const _chunk of stream) {
          // read until the error event
        }
      })(),
      (error: unknown) => error instanceof APIError && /not valid JSON/.test(error.message),
    );
  });
});

describe('embeddings', () => {
  it('embeds with the built-in model: float and base64 give the same vectors', async () => {
    const input = ['Granite is an igneous rock.', 'Basalt is volcanic.'];
    const floats = await client().embeddings.create({ model: 'outcrop.use-lite-v1', input, encoding_format: 'float' });
    const fromBase64 = await client().embeddings.create({ model: 'outcrop.use-lite-v1', input });
    assert.equal(floats.object, 'list');
    assert.equal(floats.model, 'outcrop.use-lite-v1');
    assert.equal(floats.data.length, 2);
    assert.deepEqual(
      floats.data.map((item) => item.index),
      [0, 1],
    );
    assert.equal(floats.data[0]?.embedding.length, 512);
    assert.ok(floats.usage.prompt_tokens > 0);
    for (const [index, item] of floats.data.entries()) {
      assert.deepEqual(fromBase64.data[index]?.embedding, item.embedding.map(Math.fround), 'base64 carries the same float32 values');
    }
    const single = await client().embeddings.create({ model: 'amazon.titan-embed-text-v2:0', input: input[0] as string, dimensions: 512, encoding_format: 'float' });
    assert.deepEqual(single.data[0]?.embedding, floats.data[0]?.embedding, 'aliases resolve to the same model');
  });

  it('refuses dimensions it cannot give, token arrays, and text models', async () => {
    await assert.rejects(
      client().embeddings.create({ model: 'outcrop.use-lite-v1', input: 'granite', dimensions: 256 }),
      (error: unknown) => error instanceof BadRequestError && error.param === 'dimensions',
    );
    await assert.rejects(client().embeddings.create({ model: 'outcrop.use-lite-v1', input: [[1, 2, 3]] }), (error: unknown) => error instanceof BadRequestError);
    await assert.rejects(client().embeddings.create({ model: 'outcrop.text', input: 'granite' }), (error: unknown) => error instanceof BadRequestError);
  });
});

describe('models', () => {
  it('lists the catalog and retrieves a model by ID or alias', async () => {
    const ids: string[] = [];
    for await (const model of client().models.list()) ids.push(model.id);
    assert.ok(ids.includes('outcrop.text'));
    assert.ok(ids.includes('outcrop.use-lite-v1'));
    const model = await client().models.retrieve('anthropic.claude-3-haiku-20240307-v1:0');
    assert.equal(model.id, 'anthropic.claude-3-haiku-20240307-v1:0');
    assert.equal(model.object, 'model');
    assert.equal(model.owned_by, 'Outcrop');
    await assert.rejects(client().models.retrieve('gpt-nonexistent'), (error: unknown) => error instanceof NotFoundError && error.code === 'model_not_found');
  });
});

describe('authentication and errors', () => {
  it('answers a wrong key with 401 invalid_api_key', async () => {
    await assert.rejects(client('ABSKwrong-key').models.list(), (error: unknown) => {
      assert.ok(error instanceof AuthenticationError);
      assert.equal(error.status, 401);
      assert.equal(error.code, 'invalid_api_key');
      assert.equal(error.type, 'invalid_request_error');
      return true;
    });
    const response = await fetch(`${server.url}/v1/models`);
    assert.equal(response.status, 401);
    const body = (await response.json()) as { error: Record<string, unknown> };
    assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
  });

  it('accepts SigV4-signed requests', async () => {
    const body = JSON.stringify({ model: 'outcrop.text', messages: [{ role: 'user', content: 'Hi' }] });
    const response = await sendSigned(server.url, { method: 'POST', path: '/v1/chat/completions', body });
    assert.equal(response.status, 200, response.text);
    const choices = response.body?.choices as { message: { content: string } }[] | undefined;
    assert.equal(choices?.[0]?.message.content, 'Granite is an igneous rock.');
    const tampered = await sendSigned(server.url, { method: 'POST', path: '/v1/chat/completions', body }, { bodyAfterSigning: body.replace('Hi', 'Ho') });
    assert.equal(tampered.status, 401);
  });

  it('answers an unknown model with 404 model_not_found', async () => {
    await assert.rejects(client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.code, 'model_not_found');
      assert.equal(error.param, 'model');
      return true;
    });
  });

  it('passes an upstream rate limit on as 429 with retry-after, streamed or not', async () => {
    for (const stream of [false, true]) {
      await assert.rejects(client().chat.completions.create({ model: 'outcrop.rate-limited', messages: [{ role: 'user', content: 'Hi' }], stream }), (error: unknown) => {
        assert.ok(error instanceof RateLimitError, String(error));
        assert.equal(error.status, 429);
        assert.equal(error.code, 'rate_limit_exceeded');
        assert.equal(error.headers?.get('retry-after'), '7');
        return true;
      });
    }
  });

  it('maps upstream faults to 5xx and bad requests to 400 with the field named', async () => {
    await assert.rejects(
      client().chat.completions.create({ model: 'outcrop.server-error', messages: [{ role: 'user', content: 'Hi' }] }),
      (error: unknown) => error instanceof InternalServerError && error.status === 500,
    );
    await assert.rejects(
      client().chat.completions.create({ model: 'outcrop.text', messages: [] }),
      (error: unknown) => error instanceof BadRequestError && error.param === 'messages',
    );
    await assert.rejects(
      client().chat.completions.create({ model: 'outcrop.text', messages: [{ role: 'user', content: 'Hi' }], temperature: 3 }),
      (error: unknown) => error instanceof BadRequestError && error.param === 'temperature',
    );
    const missing = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testCredentials.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'outcrop.text' }),
    });
    assert.equal(missing.status, 400);
    assert.deepEqual(await missing.json(), {
      error: { message: "Missing required parameter: 'messages'.", type: 'invalid_request_error', param: 'messages', code: 'missing_required_parameter' },
    });
    const notJson = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${testCredentials.apiKey}` }, body: '{' });
    assert.equal(notJson.status, 400);
    const unknownPath = await fetch(`${server.url}/v1/completions`, { method: 'POST', headers: { authorization: `Bearer ${testCredentials.apiKey}` }, body: '{}' });
    assert.equal(unknownPath.status, 404);
    assert.equal(((await unknownPath.json()) as { error: { message: string } }).error.message, 'Invalid URL (POST /v1/completions)');
  });

  it('cancels the backend generation when the client disconnects', async () => {
    const abortedBefore = server.upstream.aborted;
    const controller = new AbortController();
    const stream = await client().chat.completions.create(
      { model: 'outcrop.endless', messages: [{ role: 'user', content: 'Sing forever' }], stream: true },
      { signal: controller.signal },
    );
    let chunks = 0;
    for await (const _chunk of stream) {
      if (++chunks < 3) continue;
      controller.abort();
      break;
    }
    const deadline = Date.now() + 3000;
    while (server.upstream.aborted === abortedBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(server.upstream.aborted, abortedBefore + 1, 'the upstream request was cancelled');
  });
});

describe('Python openai client', () => {
  const script = `
import json, sys, openai
client = openai.OpenAI(base_url=sys.argv[1] + "/v1", api_key=sys.argv[2], max_retries=0)
out = {}
out["chat"] = client.chat.completions.create(model="outcrop.text", messages=[{"role": "user", "content": "Hi"}]).choices[0].message.content
out["stream"] = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(model="outcrop.text", messages=[{"role": "user", "content": "Hi"}], stream=True) if c.choices)
out["dims"] = len(client.embeddings.create(model="outcrop.use-lite-v1", input=["granite"]).data[0].embedding)
try:
    client.chat.completions.create(model="nope", messages=[{"role": "user", "content": "Hi"}])
except openai.NotFoundError as error:
    out["not_found"] = error.code
try:
    openai.OpenAI(base_url=sys.argv[1] + "/v1", api_key="wrong", max_retries=0).models.list()
except openai.AuthenticationError as error:
    out["auth"] = error.status_code
print(json.dumps(out))
`;
  // Checked while the suite loads, before the server starts, so blocking here is harmless.
  const available = spawnSync('python3', ['-c', 'import openai'], { stdio: 'ignore', timeout: 20_000 }).status === 0;

  it('chats, streams and embeds', { skip: available ? false : 'the Python openai package is not installed (pip cannot reach PyPI here)' }, async () => {
    const result = await runPython(script, [server.url, testCredentials.apiKey]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { chat: 'Granite is an igneous rock.', stream: 'Granite is an igneous rock.', dims: 512, not_found: 'model_not_found', auth: 401 });
  });
});

/** Runs Python without blocking the event loop (the server under test shares it). */
function runPython(code: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', code, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, stdout, stderr }));
  });
}
