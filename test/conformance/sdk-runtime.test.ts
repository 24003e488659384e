import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BedrockRuntimeClient,
  type BedrockRuntimeClientConfig,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { type TestServer, startTestServer, testCredentials } from '../support/test-server.js';

const hello: ConverseCommandInput['messages'] = [{ role: 'user', content: [{ text: 'What is granite?' }] }];
const anthropicBody = JSON.stringify({
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 64,
  system: 'You are a geologist.',
  messages: [{ role: 'user', content: 'What is granite?' }],
});
const tools = { tools: [{ toolSpec: { name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { json: { type: 'object', properties: { rock: { type: 'string' } }, required: ['rock'] } } } }] };

let server: TestServer;

function client(overrides: Partial<BedrockRuntimeClientConfig> = {}): BedrockRuntimeClient {
  // The default request handler: HTTP/2 with prior knowledge against http://.
  return new BedrockRuntimeClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey },
    maxAttempts: 1,
    ...overrides,
  });
}

function bearerClient(token: string): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: server.url,
    region: 'us-east-1',
    token: { token },
    authSchemePreference: ['httpBearerAuth'],
    maxAttempts: 1,
  });
}

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<ConverseStreamOutput[]> {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  return events;
}

async function rejects(promise: Promise<unknown>, name: string, status?: number): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(failure.name, name, `expected ${name}, got ${failure.name}: ${failure.message}`);
    if (status !== undefined) assert.equal(failure.$metadata?.httpStatusCode, status);
    return failure;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

describe('Converse through @aws-sdk/client-bedrock-runtime (HTTP/2, SigV4)', () => {
  it('returns the model text, stop reason, usage and latency', async () => {
    const response = await client().send(new ConverseCommand({ modelId: 'outcrop.text', messages: hello, inferenceConfig: { maxTokens: 64, temperature: 0.2, topP: 0.9, stopSequences: ['END'] } }));
    assert.deepEqual(response.output?.message, { role: 'assistant', content: [{ text: 'Granite is an igneous rock.' }] });
    assert.equal(response.stopReason, 'end_turn');
    assert.deepEqual(response.usage, { inputTokens: 21, outputTokens: 8, totalTokens: 29 });
    assert.equal(typeof response.metrics?.latencyMs, 'number');
    assert.match(response.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
    const sent = server.upstream.requests.at(-1)?.body;
    assert.equal(sent?.model, 'text');
    assert.equal(sent?.max_tokens, 64);
    assert.equal(sent?.temperature, 0.2);
    assert.equal(sent?.top_p, 0.9);
    assert.deepEqual(sent?.stop, ['END']);
    assert.deepEqual(sent?.messages, [{ role: 'user', content: 'What is granite?' }]);
    assert.equal(server.upstream.requests.at(-1)?.headers.authorization, 'Bearer sk-upstream-secret');
  });

  it('sends the system prompt and a multi-turn history in order', async () => {
    await client().send(
      new ConverseCommand({
        modelId: 'outcrop.text',
        system: [{ text: 'You are a geologist.' }],
        messages: [
          { role: 'user', content: [{ text: 'Name a rock.' }] },
          { role: 'assistant', content: [{ text: 'Granite.' }] },
          { role: 'user', content: [{ text: 'Is it igneous?' }] },
        ],
      }),
    );
    assert.deepEqual(server.upstream.requests.at(-1)?.body.messages, [
      { role: 'system', content: 'You are a geologist.' },
      { role: 'user', content: 'Name a rock.' },
      { role: 'assistant', content: 'Granite.' },
      { role: 'user', content: 'Is it igneous?' },
    ]);
  });

  it('resolves Bedrock model IDs, inference-profile IDs and ARNs configured as aliases', async () => {
    for (const modelId of [
      'anthropic.claude-3-haiku-20240307-v1:0',
      'us.anthropic.claude-3-haiku-20240307-v1:0',
      'arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-1-8b-instruct-v1:0',
      'arn:aws:bedrock:us-west-2:123456789012:inference-profile/eu.meta.llama3-1-8b-instruct-v1:0',
    ]) {
      const response: ConverseCommandOutput = await client().send(new ConverseCommand({ modelId, messages: hello }));
      assert.equal(response.stopReason, 'end_turn', modelId);
    }
  });

  it('passes additionalModelRequestFields and returns additionalModelResponseFieldPaths', async () => {
    const response = await client().send(
      new ConverseCommand({
        modelId: 'outcrop.text',
        messages: hello,
        additionalModelRequestFields: { top_k: 40, repetition_penalty: 1.1 },
        additionalModelResponseFieldPaths: ['/id', '/choices/0/finish_reason'],
      }),
    );
    const sent = server.upstream.requests.at(-1)?.body;
    assert.equal(sent?.top_k, 40);
    assert.equal(sent?.repetition_penalty, 1.1);
    assert.deepEqual(response.additionalModelResponseFields, { id: 'chatcmpl-9c1d2e3f', choices: { '0': { finish_reason: 'stop' } } });
  });

  it('maps stop sequences and length limits to Bedrock stop reasons', async () => {
    assert.equal((await client().send(new ConverseCommand({ modelId: 'outcrop.stop-sequence', messages: hello }))).stopReason, 'stop_sequence');
    assert.equal((await client().send(new ConverseCommand({ modelId: 'outcrop.max-tokens', messages: hello }))).stopReason, 'max_tokens');
  });

  it('completes a tool use round trip with toolChoice any, auto and a named tool', async () => {
    const first = await client().send(new ConverseCommand({ modelId: 'outcrop.tools', messages: hello, toolConfig: { ...tools, toolChoice: { any: {} } } }));
    assert.equal(first.stopReason, 'tool_use');
    const toolUse = first.output?.message?.content?.[0]?.toolUse;
    assert.deepEqual(toolUse, { toolUseId: 'call_8f2b1c', name: 'get_rock_hardness', input: { rock: 'granite', scale: 'mohs' } });
    const sentTools = server.upstream.requests.at(-1)?.body;
    assert.equal(sentTools?.tool_choice, 'required');
    assert.deepEqual(sentTools?.tools, [
      { type: 'function', function: { name: 'get_rock_hardness', description: 'Hardness of a rock', parameters: { type: 'object', properties: { rock: { type: 'string' } }, required: ['rock'] } } },
    ]);
    await client().send(
      new ConverseCommand({
        modelId: 'outcrop.text',
        toolConfig: { ...tools, toolChoice: { tool: { name: 'get_rock_hardness' } } },
        messages: [
          ...(hello ?? []),
          { role: 'assistant', content: [{ toolUse: { toolUseId: 'call_8f2b1c', name: 'get_rock_hardness', input: { rock: 'granite' } } }] },
          { role: 'user', content: [{ toolResult: { toolUseId: 'call_8f2b1c', content: [{ json: { hardness: 6.5 } }], status: 'success' } }] },
        ],
      }),
    );
    const sent = server.upstream.requests.at(-1)?.body;
    assert.deepEqual(sent?.tool_choice, { type: 'function', function: { name: 'get_rock_hardness' } });
    assert.deepEqual((sent?.messages as unknown[] | undefined)?.slice(1), [
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_8f2b1c', type: 'function', function: { name: 'get_rock_hardness', arguments: '{"rock":"granite"}' } }] },
      { role: 'tool', tool_call_id: 'call_8f2b1c', content: '{"hardness":6.5}' },
    ]);
  });

  it('sends images to a model that takes them and refuses documents', async () => {
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
    await client().send(new ConverseCommand({ modelId: 'outcrop.text', messages: [{ role: 'user', content: [{ text: 'What is this?' }, { image: { format: 'png', source: { bytes: png } } }] }] }));
    const content = (server.upstream.requests.at(-1)?.body.messages as { content: unknown }[] | undefined)?.[0]?.content;
    assert.deepEqual(content, [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(png).toString('base64')}` } },
    ]);
    const failure = await rejects(
      client().send(new ConverseCommand({ modelId: 'outcrop.tools', messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: png } } }] }] })),
      'ValidationException',
      400,
    );
    assert.match(failure.message, /image/);
    await rejects(
      client().send(new ConverseCommand({ modelId: 'outcrop.text', messages: [{ role: 'user', content: [{ text: 'sum' }, { document: { format: 'txt', name: 'notes', source: { bytes: new TextEncoder().encode('x') } } }] }] })),
      'ValidationException',
      400,
    );
  });

  it('rejects conversations Bedrock rejects', async () => {
    const failure = await rejects(client().send(new ConverseCommand({ modelId: 'outcrop.text', messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] })), 'ValidationException', 400);
    assert.match(failure.message, /must start with a user message/);
    await rejects(
      client().send(new ConverseCommand({ modelId: 'outcrop.text', messages: [{ role: 'user', content: [{ text: 'a' }] }, { role: 'user', content: [{ text: 'b' }] }] })),
      'ValidationException',
    );
    await rejects(client().send(new ConverseCommand({ modelId: 'outcrop.text', messages: hello, toolConfig: { ...tools, toolChoice: { tool: { name: 'nope' } } } })), 'ValidationException');
    const range = await rejects(client().send(new ConverseCommand({ modelId: 'outcrop.text', messages: hello, inferenceConfig: { maxTokens: 0 } })), 'ValidationException', 400);
    assert.match(range.message, /inferenceConfig\.maxTokens/);
    const unknown = await rejects(client().send(new ConverseCommand({ modelId: 'no.such-model-v1:0', messages: hello })), 'ValidationException', 400);
    assert.match(unknown.message, /model identifier is invalid/);
  });

  it('maps backend failures onto Bedrock errors', async () => {
    const throttled = await rejects(client().send(new ConverseCommand({ modelId: 'outcrop.rate-limited', messages: hello })), 'ThrottlingException', 429);
    assert.match(throttled.message, /Rate limit reached/);
    const failed = await rejects(client().send(new ConverseCommand({ modelId: 'outcrop.server-error', messages: hello })), 'ModelErrorException', 424);
    assert.match(failed.message, /500/);
    await rejects(client().send(new ConverseCommand({ modelId: 'outcrop.bad-request', messages: hello })), 'ValidationException', 400);
    const started = Date.now();
    await rejects(client().send(new ConverseCommand({ modelId: 'outcrop.slow', messages: hello })), 'ModelTimeoutException', 408);
    assert.ok(Date.now() - started < 2900, 'the configured 1.5 s timeout applies, not the backend delay');
  });
});

describe('ConverseStream through the default HTTP/2 client', () => {
  it('streams messageStart, deltas, contentBlockStop, messageStop and metadata', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'outcrop.text', messages: hello }));
    const events = await collect(response.stream);
    assert.deepEqual(Object.keys(events[0] ?? {}), ['messageStart']);
    assert.equal(events[0]?.messageStart?.role, 'assistant');
    const text = events.map((event) => event.contentBlockDelta?.delta?.text ?? '').join('');
    assert.equal(text, 'Granite is an igneous rock.');
    const kinds = events.map((event) => Object.keys(event)[0]);
    assert.deepEqual(kinds.slice(-3), ['contentBlockStop', 'messageStop', 'metadata']);
    assert.equal(events.at(-2)?.messageStop?.stopReason, 'end_turn');
    assert.deepEqual(events.at(-1)?.metadata?.usage, { inputTokens: 21, outputTokens: 8, totalTokens: 29 });
    assert.equal(typeof events.at(-1)?.metadata?.metrics?.latencyMs, 'number');
    const sent = server.upstream.requests.at(-1)?.body;
    assert.equal(sent?.stream, true);
    assert.deepEqual(sent?.stream_options, { include_usage: true });
  });

  it('streams tool use: contentBlockStart with the tool, input deltas, stop reason tool_use', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'outcrop.tools', messages: hello, toolConfig: { ...tools, toolChoice: { auto: {} } } }));
    const events = await collect(response.stream);
    const start = events.find((event) => event.contentBlockStart)?.contentBlockStart;
    assert.deepEqual(start, { start: { toolUse: { toolUseId: 'call_8f2b1c', name: 'get_rock_hardness' } }, contentBlockIndex: 0 });
    const input = events.map((event) => event.contentBlockDelta?.delta?.toolUse?.input ?? '').join('');
    assert.deepEqual(JSON.parse(input), { rock: 'granite', scale: 'mohs' });
    assert.equal(events.find((event) => event.messageStop)?.messageStop?.stopReason, 'tool_use');
  });

  it('ends with a modeled exception event when the backend fails mid-stream', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'outcrop.midstream-error', messages: hello }));
    const seen: string[] = [];
    const failure = await rejects(
      (async () => {
        for await (const event of response.stream ?? []) seen.push(event.contentBlockDelta?.delta?.text ?? '');
      })(),
      'ModelStreamErrorException',
    );
    assert.match(failure.message, /CUDA out of memory/);
    assert.equal(seen.join(''), 'Basalt forms');
  });

  it('ends with an exception event when the backend stream is cut off', async () => {
    const response = await client().send(new ConverseStreamCommand({ modelId: 'outcrop.truncated', messages: hello }));
    await rejects(collect(response.stream), 'ModelStreamErrorException');
  });

  it('answers errors before the first event as plain HTTP errors', async () => {
    await rejects(client().send(new ConverseStreamCommand({ modelId: 'outcrop.rate-limited', messages: hello })), 'ThrottlingException', 429);
    await rejects(client().send(new ConverseStreamCommand({ modelId: 'outcrop.no-stream', messages: hello })), 'ValidationException', 400);
  });

  it('cancels the backend generation when the client disconnects', async () => {
    const before = server.upstream.aborted;
    const controller = new AbortController();
    const response = await client().send(new ConverseStreamCommand({ modelId: 'outcrop.endless', messages: hello }), { abortSignal: controller.signal });
    let received = 0;
    try {
      for await (const event of response.stream ?? []) {
        if (event.contentBlockDelta) received++;
        if (received === 3) controller.abort();
      }
    } catch {
      // aborted by us
    }
    for (let wait = 0; wait < 50 && server.upstream.aborted === before; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(server.upstream.aborted, before + 1, 'the upstream request was closed');
  });
});

describe('InvokeModel with an Anthropic Messages body', () => {
  it('returns the Anthropic response body', async () => {
    const response = await client().send(new InvokeModelCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', body: anthropicBody, contentType: 'application/json', accept: 'application/json' }));
    assert.equal(response.contentType, 'application/json');
    const body = JSON.parse(new TextDecoder().decode(response.body));
    assert.equal(body.type, 'message');
    assert.equal(body.role, 'assistant');
    assert.deepEqual(body.content, [{ type: 'text', text: 'Granite is an igneous rock.' }]);
    assert.equal(body.stop_reason, 'end_turn');
    assert.deepEqual(body.usage, { input_tokens: 21, output_tokens: 8 });
    assert.deepEqual(server.upstream.requests.at(-1)?.body.messages, [
      { role: 'system', content: 'You are a geologist.' },
      { role: 'user', content: 'What is granite?' },
    ]);
  });

  it('returns tool_use blocks', async () => {
    const body = JSON.stringify({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 64,
      tools: [{ name: 'get_rock_hardness', description: 'Hardness', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'How hard is granite?' }] }],
    });
    const response = await client().send(new InvokeModelCommand({ modelId: 'outcrop.tools', body }));
    const parsed = JSON.parse(new TextDecoder().decode(response.body));
    assert.equal(parsed.stop_reason, 'tool_use');
    assert.deepEqual(parsed.content, [{ type: 'tool_use', id: 'call_8f2b1c', name: 'get_rock_hardness', input: { rock: 'granite', scale: 'mohs' } }]);
  });

  it('rejects a body that does not fit the family, naming the field', async () => {
    const missing = await rejects(
      client().send(new InvokeModelCommand({ modelId: 'outcrop.text', body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', messages: [{ role: 'user', content: 'x' }] }) })),
      'ValidationException',
      400,
    );
    assert.match(missing.message, /max_tokens/);
    const extra = await rejects(
      client().send(new InvokeModelCommand({ modelId: 'outcrop.text', body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 5, messages: [{ role: 'user', content: 'x' }], prompt: 'x' }) })),
      'ValidationException',
    );
    assert.match(extra.message, /extraneous key \[prompt\]/);
    await rejects(client().send(new InvokeModelCommand({ modelId: 'outcrop.text', body: '{not json' })), 'ValidationException', 400);
  });

  it('streams the family chunks with invocation metrics on the last one', async () => {
    const response = await client().send(new InvokeModelWithResponseStreamCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', body: anthropicBody }));
    const chunks: Record<string, unknown>[] = [];
    for await (const event of response.body ?? []) {
      if (event.chunk?.bytes) chunks.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)));
    }
    assert.deepEqual(
      chunks.map((chunk) => chunk.type),
      ['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'],
    );
    const text = chunks.map((chunk) => (chunk.delta as { text?: string } | undefined)?.text ?? '').join('');
    assert.equal(text, 'Granite is an igneous rock.');
    const metrics = chunks.at(-1)?.['amazon-bedrock-invocationMetrics'] as Record<string, number>;
    assert.equal(metrics.inputTokenCount, 21);
    assert.equal(metrics.outputTokenCount, 8);
    assert.equal(typeof metrics.invocationLatency, 'number');
    assert.equal(typeof metrics.firstByteLatency, 'number');
  });

  it('ends the chunk stream with a modeled exception when the backend fails', async () => {
    const response = await client().send(new InvokeModelWithResponseStreamCommand({ modelId: 'outcrop.midstream-error', body: anthropicBody }));
    await rejects(
      (async () => {
        for await (const _event of response.body ?? []) {
          // drain
        }
      })(),
      'ModelStreamErrorException',
    );
  });
});

describe('CountTokens', () => {
  it('counts Converse and InvokeModel inputs with the backend tokenizer', async () => {
    const converse = await client().send(new CountTokensCommand({ modelId: 'outcrop.text', input: { converse: { messages: hello } } }));
    assert.equal(converse.inputTokens, 21);
    assert.equal(server.upstream.requests.at(-1)?.body.max_tokens, 1);
    const invoke = await client().send(new CountTokensCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', input: { invokeModel: { body: new TextEncoder().encode(anthropicBody) } } }));
    assert.equal(invoke.inputTokens, 21);
  });
});

describe('Authentication', () => {
  it('accepts a Bedrock API key as a bearer token for every runtime operation', async () => {
    const bearer = bearerClient(testCredentials.apiKey);
    assert.equal((await bearer.send(new ConverseCommand({ modelId: 'outcrop.text', messages: hello }))).stopReason, 'end_turn');
    const stream = await bearer.send(new ConverseStreamCommand({ modelId: 'outcrop.text', messages: hello }));
    assert.equal((await collect(stream.stream)).at(-2)?.messageStop?.stopReason, 'end_turn');
    const invoke = await bearer.send(new InvokeModelCommand({ modelId: 'outcrop.text', body: anthropicBody }));
    assert.equal(JSON.parse(new TextDecoder().decode(invoke.body)).type, 'message');
    const invokeStream = await bearer.send(new InvokeModelWithResponseStreamCommand({ modelId: 'outcrop.text', body: anthropicBody }));
    let chunks = 0;
    for await (const event of invokeStream.body ?? []) if (event.chunk) chunks++;
    assert.ok(chunks > 0);
    assert.equal((await bearer.send(new CountTokensCommand({ modelId: 'outcrop.text', input: { converse: { messages: hello } } }))).inputTokens, 21);
  });

  it('rejects a wrong API key', async () => {
    await rejects(bearerClient('ABSKwrong').send(new ConverseCommand({ modelId: 'outcrop.text', messages: hello })), 'UnrecognizedClientException', 403);
  });

  it('rejects a wrong secret key', async () => {
    const wrong = client({ credentials: { accessKeyId: testCredentials.accessKeyId, secretAccessKey: 'not-the-secret' } });
    const failure = await rejects(wrong.send(new ConverseCommand({ modelId: 'outcrop.text', messages: hello })), 'InvalidSignatureException', 403);
    assert.match(failure.message, /signature we calculated does not match/);
  });

  it('rejects an unknown access key', async () => {
    const unknown = client({ credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' } });
    await rejects(unknown.send(new ConverseCommand({ modelId: 'outcrop.text', messages: hello })), 'UnrecognizedClientException', 403);
  });

  it('rejects a request signed more than 5 minutes ago', async () => {
    const stale = client({ systemClockOffset: -10 * 60 * 1000 });
    const failure = await rejects(stale.send(new ConverseCommand({ modelId: 'outcrop.text', messages: hello })), 'InvalidSignatureException', 403);
    assert.match(failure.message, /Signature expired/);
  });

  it('rejects a body changed after signing', async () => {
    const tampering = client();
    tampering.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: string; headers: Record<string, string> };
        request.body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'something else entirely' }] }] });
        request.headers['content-length'] = String(Buffer.byteLength(request.body));
        return next(args);
      },
      { step: 'deserialize', name: 'tamperAfterSigning' },
    );
    await rejects(tampering.send(new ConverseCommand({ modelId: 'outcrop.text', messages: hello })), 'InvalidSignatureException', 403);
  });
});
