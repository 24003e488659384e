import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bedrockErrorReply, eventStreamReply, startFakeBedrock } from '../../../test/support/fake-bedrock.js';
import { collectParts, rejectsWithCode } from '../../../test/support/stream-parts.js';
import { useProviderUpstream } from '../../../test/support/provider-test-upstream.js';
import { fixture, jsonReply } from '../../../test/support/replay-upstream.js';
import type { CallOptions, LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import { type BedrockProviderOptions, createBedrockProvider } from './bedrock-provider.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const capabilities: ModelCapabilities = { images: true, documents: true, tools: true, systemPrompt: true };
const hello: CallOptions = { prompt: [{ role: 'user', content: [{ type: 'text', text: 'What is granite?' }] }] };
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);
const tools = [{ name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { type: 'object', properties: { rock: { type: 'string' } } } }];
const credentials = { accessKeyId: 'AKIAOPERATOR00000001', secretAccessKey: 'operator/secret/key/0123456789abcdefghij', sessionToken: 'FwoGZXIvYXdzEBYaDOperatorSession' };
const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';

const { upstream: bedrock, track, onlyRequest } = useProviderUpstream(() => startFakeBedrock(credentials));

function model(options: Partial<BedrockProviderOptions> = {}): LanguageModel {
  const provider = track(createBedrockProvider({ name: 'aws', region: 'us-west-2', baseUrl: bedrock.url, ...credentials, env: {}, ...options }));
  return provider.languageModel!(modelId, capabilities);
}

describe('BedrockChatModel.generate', () => {
  it('signs a Converse request with the operator credentials and sends cache points, tools and settings', async () => {
    bedrock.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const verifiedBefore = bedrock.verified;
    const result = await model().generate({
      prompt: [
        { role: 'system', content: [{ type: 'text', text: 'You are a geologist.', cacheControl: true }] },
        { role: 'user', content: [{ type: 'text', text: 'How hard is this?' }, { type: 'image', format: 'png', data: png, cacheControl: true }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Look it up.', signature: 'sig-1' },
            { type: 'tool-call', toolCallId: 'tooluse_1', toolName: 'get_rock_hardness', input: { rock: 'granite' } },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'tooluse_1', content: [{ type: 'json', value: { mohs: 6 } }], isError: false }] },
        { role: 'user', content: [{ type: 'tool-result', toolCallId: 'tooluse_2', content: [{ type: 'text', text: 'unknown rock' }], isError: true }, { type: 'text', text: 'And basalt?' }] },
      ],
      tools: [{ ...tools[0]!, cacheControl: true }],
      toolChoice: { type: 'tool', toolName: 'get_rock_hardness' },
      maxOutputTokens: 64,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      extraBody: { anthropic_beta: ['token-efficient-tools-2025-02-19'] },
    });
    const request = onlyRequest();
    assert.equal(bedrock.verified, verifiedBefore + 1, 'the fake Bedrock verified the SigV4 signature');
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
    assert.match(String(request.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIAOPERATOR00000001\/\d{8}\/us-west-2\/bedrock\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
    assert.match(String(request.headers.authorization), /SignedHeaders=[^,]*x-amz-security-token/);
    assert.equal(request.headers['x-amz-security-token'], credentials.sessionToken);
    assert.match(String(request.headers['x-amz-date']), /^\d{8}T\d{6}Z$/);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, {
      system: [{ text: 'You are a geologist.' }, { cachePoint: { type: 'default' } }],
      messages: [
        { role: 'user', content: [{ text: 'How hard is this?' }, { image: { format: 'png', source: { bytes: 'iVBORw==' } } }, { cachePoint: { type: 'default' } }] },
        {
          role: 'assistant',
          content: [
            { reasoningContent: { reasoningText: { text: 'Look it up.', signature: 'sig-1' } } },
            { toolUse: { toolUseId: 'tooluse_1', name: 'get_rock_hardness', input: { rock: 'granite' } } },
          ],
        },
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 'tooluse_1', content: [{ json: { mohs: 6 } }] } },
            { toolResult: { toolUseId: 'tooluse_2', content: [{ text: 'unknown rock' }], status: 'error' } },
            { text: 'And basalt?' },
          ],
        },
      ],
      toolConfig: {
        tools: [
          { toolSpec: { name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { json: tools[0]!.inputSchema } } },
          { cachePoint: { type: 'default' } },
        ],
        toolChoice: { tool: { name: 'get_rock_hardness' } },
      },
      inferenceConfig: { maxTokens: 64, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
      additionalModelRequestFields: { top_k: 40, anthropic_beta: ['token-efficient-tools-2025-02-19'] },
    });
    assert.deepEqual(result.content, [{ type: 'text', text: 'Granite is a coarse-grained igneous rock.' }]);
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, { inputTokens: 21, outputTokens: 12, cacheReadInputTokens: 1024 });
  });

  it('returns reasoning with its signature, text and a tool call', async () => {
    bedrock.route = () => jsonReply(fixture(fixtures, 'tool-call.json'));
    const result = await model().generate({ ...hello, tools, toolChoice: { type: 'required' } });
    assert.deepEqual((onlyRequest().body as { toolConfig: { toolChoice: unknown } }).toolConfig.toolChoice, { any: {} });
    assert.deepEqual(result.content, [
      { type: 'reasoning', text: 'The user wants the hardness of granite.', signature: 'EqoBCkgIBhABGAIiQL2' },
      { type: 'text', text: 'Let me look that up.' },
      { type: 'tool-call', toolCallId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', toolName: 'get_rock_hardness', input: { rock: 'granite' } },
    ]);
    assert.equal(result.finishReason, 'tool-calls');
    assert.deepEqual(result.usage, { inputTokens: 412, outputTokens: 61 });
  });

  it('sends a response format as outputConfig.textFormat, the schema as a JSON string', async () => {
    bedrock.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const schema = { type: 'object', properties: { rock: { type: 'string' }, mohs: { type: 'number' } }, required: ['rock', 'mohs'], additionalProperties: false };
    await model().generate({ ...hello, responseFormat: { type: 'json-schema', schema, name: 'rock_info', description: 'A rock and its hardness' } });
    assert.deepEqual((onlyRequest().body as { outputConfig?: unknown }).outputConfig, {
      textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'rock_info', description: 'A rock and its hardness' } } },
    });
  });

  it('sends a reasoning effort as outputConfig.effort, unchanged, beside a textFormat', async () => {
    bedrock.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const schema = { type: 'object', properties: { rock: { type: 'string' } }, required: ['rock'] };
    await model().generate({ ...hello, reasoningEffort: 'xhigh' });
    await model().generate({ ...hello, reasoningEffort: 'low', responseFormat: { type: 'json-schema', schema } });
    await model().generate(hello);
    assert.deepEqual(
      bedrock.requests.map((request) => (request.body as { outputConfig?: unknown }).outputConfig),
      [{ effort: 'xhigh' }, { textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(schema) } } }, effort: 'low' }, undefined],
    );
  });

  it('signs with the AWS_* environment variables when the configuration has no keys', async () => {
    bedrock.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const fromEnv = model({
      accessKeyId: undefined,
      secretAccessKey: undefined,
      sessionToken: undefined,
      region: undefined,
      env: { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_SESSION_TOKEN: credentials.sessionToken, AWS_REGION: 'eu-west-1' },
    });
    await fromEnv.generate(hello);
    assert.match(String(onlyRequest().headers.authorization), /\/eu-west-1\/bedrock\/aws4_request/);
  });

  it('refuses to start without credentials, naming where to set them', () => {
    assert.throws(
      () => createBedrockProvider({ name: 'aws', env: {} }),
      /provider aws \(bedrock\): AWS credentials are missing; set accessKeyId and secretAccessKey .* or AWS_ACCESS_KEY_ID/,
    );
  });
});

describe('BedrockChatModel.stream', () => {
  it('decodes a ConverseStream event stream into text parts with usage', async () => {
    bedrock.route = () => eventStreamReply(fixture(fixtures, 'text.chunks.txt'));
    const { stream } = await model().stream({ ...hello, maxOutputTokens: 64 });
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Granite is a coarse-grained' },
      { type: 'text-delta', id: 'text-0', delta: ' igneous rock.' },
      { type: 'text-end', id: 'text-0' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 21, outputTokens: 12, cacheWriteInputTokens: 2048 } },
    ]);
    const request = onlyRequest();
    assert.equal(request.path, '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream');
    assert.equal(request.headers.accept, 'application/vnd.amazon.eventstream');
    assert.deepEqual(request.body, { messages: [{ role: 'user', content: [{ text: 'What is granite?' }] }], inferenceConfig: { maxTokens: 64 } });
  });

  it('streams reasoning, text and a tool call', async () => {
    bedrock.route = () => eventStreamReply(fixture(fixtures, 'tool-call.chunks.txt'));
    const { stream } = await model().stream({ ...hello, tools, toolChoice: { type: 'none' } });
    const parts = await collectParts(stream);
    assert.deepEqual(parts[0], { type: 'stream-start', warnings: [{ setting: 'toolChoice', details: 'Bedrock Converse has no "none" tool choice; the model may still call a tool.' }] });
    assert.deepEqual(parts.slice(1), [
      { type: 'reasoning-start', id: 'reasoning-0' },
      { type: 'reasoning-delta', id: 'reasoning-0', delta: 'I should call the tool.' },
      { type: 'reasoning-end', id: 'reasoning-0' },
      { type: 'text-start', id: 'text-1' },
      { type: 'text-delta', id: 'text-1', delta: 'Let me look that up.' },
      { type: 'text-end', id: 'text-1' },
      { type: 'tool-input-start', id: 'tooluse_W0nEwr2wS3mBHuSnQ7XzNA', toolName: 'get_rock_hardness' },
      { type: 'tool-input-delta', id: 'tooluse_W0nEwr2wS3mBHuSnQ7XzNA', delta: '{"rock": "gra' },
      { type: 'tool-input-delta', id: 'tooluse_W0nEwr2wS3mBHuSnQ7XzNA', delta: 'nite"}' },
      { type: 'tool-input-end', id: 'tooluse_W0nEwr2wS3mBHuSnQ7XzNA' },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 472, outputTokens: 89 } },
    ]);
  });

  it('turns a modeled exception in the stream into an error part with the same code', async () => {
    bedrock.route = () => eventStreamReply(fixture(fixtures, 'throttled-midstream.chunks.txt'));
    const parts = await collectParts((await model().stream(hello)).stream);
    assert.deepEqual(parts.slice(-2), [
      { type: 'text-delta', id: 'text-0', delta: 'Granite' },
      { type: 'error', code: 'ThrottlingException', message: 'Too many tokens, please wait before trying again.' },
    ]);
  });

  it('reports a corrupted frame and a stream cut before messageStop', async () => {
    bedrock.route = () => {
      const reply = eventStreamReply(fixture(fixtures, 'text.chunks.txt'));
      const frame = Buffer.from(reply.pieces?.[1] as Uint8Array);
      frame[frame.length - 1] = (frame[frame.length - 1] ?? 0) ^ 0xff;
      return { ...reply, pieces: [reply.pieces?.[0] as Uint8Array, frame] };
    };
    const corrupted = await collectParts((await model().stream(hello)).stream);
    assert.equal((corrupted.at(-1) as { code: string }).code, 'ModelStreamErrorException');
    bedrock.route = () => eventStreamReply(fixture(fixtures, 'text.chunks.txt').split('\n').slice(0, 3).join('\n'));
    const cut = await collectParts((await model().stream(hello)).stream);
    assert.deepEqual(cut.at(-1), { type: 'error', code: 'ModelStreamErrorException', message: 'Amazon Bedrock ended the stream before it finished.' });
  });
});

describe('BedrockChatModel errors', () => {
  it('passes ThrottlingException through one to one', async () => {
    bedrock.route = () => bedrockErrorReply(429, 'ThrottlingException', fixture(fixtures, 'throttling.json'));
    const error = await rejectsWithCode(model().generate(hello), 'ThrottlingException', /^Too many requests, please wait before trying again\.$/);
    assert.equal(error.statusCode, 429);
    await rejectsWithCode(model().stream(hello), 'ThrottlingException');
  });

  it('passes ValidationException and ModelErrorException (with its members) through', async () => {
    bedrock.route = () => bedrockErrorReply(400, 'ValidationException', fixture(fixtures, 'validation.json'));
    await rejectsWithCode(model().generate(hello), 'ValidationException', /does not appear to be a valid png image/);
    bedrock.route = () => bedrockErrorReply(424, 'ModelErrorException', fixture(fixtures, 'model-error.json'));
    const error = await rejectsWithCode(model().generate(hello), 'ModelErrorException', /Received server error \(500\) from model/);
    assert.deepEqual(error.fields, { originalStatusCode: 500, resourceName: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0' });
  });

  it('reports refused operator credentials as a ModelErrorException, not as the client’s signature error', async () => {
    bedrock.route = () => jsonReply(fixture(fixtures, 'text.json'));
    const error = await rejectsWithCode(model({ secretAccessKey: 'not-the-secret' }).generate(hello), 'ModelErrorException', /Amazon Bedrock rejected Outcrop's credentials \(403\); check the provider's accessKeyId/);
    assert.doesNotMatch(error.message, /not-the-secret/);
  });
});

describe('BedrockChatModel.countTokens', () => {
  it('calls CountTokens with the Converse input', async () => {
    bedrock.route = () => jsonReply(fixture(fixtures, 'count-tokens.json'));
    const count = await model().countTokens({ prompt: [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, ...hello.prompt], tools, maxOutputTokens: 10 });
    assert.equal(count, 2095);
    const request = onlyRequest();
    assert.equal(request.path, '/model/anthropic.claude-3-haiku-20240307-v1%3A0/count-tokens');
    assert.deepEqual(request.body, {
      input: {
        converse: {
          messages: [{ role: 'user', content: [{ text: 'What is granite?' }] }],
          system: [{ text: 'Be brief.' }],
          toolConfig: { tools: [{ toolSpec: { name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { json: tools[0]!.inputSchema } } }] },
        },
      },
    });
  });
});

const live = process.env.OUTCROP_LIVE_BEDROCK === '1' && process.env.AWS_ACCESS_KEY_ID;
describe('Amazon Bedrock live API', { skip: live ? false : 'set OUTCROP_LIVE_BEDROCK=1 with AWS credentials to run live Bedrock tests' }, () => {
  it('answers a short prompt', async () => {
    const provider = track(createBedrockProvider({ name: 'live' }));
    const result = await provider.languageModel!(process.env.BEDROCK_LIVE_MODEL ?? modelId, capabilities).generate({ ...hello, maxOutputTokens: 16 });
    assert.ok(result.usage.inputTokens > 0);
  });
});
