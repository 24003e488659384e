import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallOptions, LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import { startFixtureUpstream } from '../../../test/support/fixture-upstream.js';
import { languageModelOf, useProviderUpstream } from '../../../test/support/provider-test-upstream.js';
import { collectParts, rejectsWithCode } from '../../../test/support/stream-parts.js';
import { createOpenAIProvider } from './openai-provider.js';

const capabilities: ModelCapabilities = { images: true, documents: true, tools: true, systemPrompt: true };
const question: CallOptions = {
  prompt: [
    { role: 'system', content: [{ type: 'text', text: 'You are a geologist.' }] },
    { role: 'user', content: [{ type: 'text', text: 'What is granite?' }] },
  ],
};
const hardnessTool = { name: 'get_rock_hardness', description: 'Hardness of a rock', inputSchema: { type: 'object', properties: { rock: { type: 'string' } } } };

const { upstream, track } = useProviderUpstream(() => startFixtureUpstream(new URL('./__fixtures__/', import.meta.url)));

function responses(modelId = 'gpt-4.1-mini'): LanguageModel {
  const provider = track(createOpenAIProvider({ name: 'openai', api: 'responses', baseUrl: `${upstream.url}/v1`, apiKey: 'sk-test-openai', project: 'proj_rocks', env: {} }));
  return languageModelOf(provider, modelId, capabilities);
}

describe('OpenAI Responses API (api: responses)', () => {
  it('posts instructions and input items to /v1/responses, not stored', async () => {
    upstream.respondWith('responses-text.json');
    const result = await responses().generate({ ...question, maxOutputTokens: 64, temperature: 0.2, topP: 0.9 });
    const [request] = upstream.requests;
    assert.equal(request?.path, '/v1/responses');
    assert.equal(request?.headers.authorization, 'Bearer sk-test-openai');
    assert.equal(request?.headers['openai-project'], 'proj_rocks');
    assert.deepEqual(request?.body, {
      model: 'gpt-4.1-mini',
      instructions: 'You are a geologist.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'What is granite?' }] }],
      store: false,
      max_output_tokens: 64,
      temperature: 0.2,
      top_p: 0.9,
    });
    assert.deepEqual(result.content, [{ type: 'text', text: 'Granite is a coarse-grained igneous rock.' }]);
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, { inputTokens: 21, outputTokens: 10 });
    assert.deepEqual(result.warnings, []);
  });

  it('sends a tool round trip as function_call and function_call_output items, images as input_image', async () => {
    upstream.respondWith('responses-text.json');
    await responses().generate({
      prompt: [
        { role: 'user', content: [{ type: 'text', text: 'How hard is this rock?' }, { type: 'image', format: 'png', data: new Uint8Array([1, 2, 3]) }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'I should look it up.' },
            { type: 'text', text: 'Let me check.' },
            { type: 'tool-call', toolCallId: 'tooluse_1', toolName: 'get_rock_hardness', input: { rock: 'granite' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool-result', toolCallId: 'tooluse_1', content: [{ type: 'json', value: { mohs: 6 } }], isError: false },
            { type: 'text', text: 'And basalt?' },
          ],
        },
      ],
      tools: [hardnessTool],
      toolChoice: { type: 'tool', toolName: 'get_rock_hardness' },
      stopSequences: ['END'],
      topK: 5,
    });
    assert.deepEqual(upstream.requests[0]?.body, {
      model: 'gpt-4.1-mini',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'How hard is this rock?' }, { type: 'input_image', image_url: 'data:image/png;base64,AQID' }] },
        { role: 'assistant', content: [{ type: 'output_text', text: 'Let me check.' }] },
        { type: 'function_call', call_id: 'tooluse_1', name: 'get_rock_hardness', arguments: '{"rock":"granite"}' },
        { type: 'function_call_output', call_id: 'tooluse_1', output: '{"mohs":6}' },
        { role: 'user', content: [{ type: 'input_text', text: 'And basalt?' }] },
      ],
      tools: [{ type: 'function', name: 'get_rock_hardness', description: 'Hardness of a rock', parameters: hardnessTool.inputSchema, strict: false }],
      tool_choice: { type: 'function', name: 'get_rock_hardness' },
      store: false,
    });
  });

  it('sends a response format as a strict json_schema text.format, streaming too', async () => {
    const schema = { type: 'object', properties: { rock: { type: 'string' }, mohs: { type: 'number' } }, required: ['rock', 'mohs'], additionalProperties: false };
    upstream.respondWith('responses-text.json');
    await responses().generate({ ...question, responseFormat: { type: 'json-schema', schema, name: 'rock info', description: 'A rock and its hardness' } });
    upstream.respondWith('responses-text.chunks.txt');
    await collectParts((await responses().stream({ ...question, responseFormat: { type: 'json-schema', schema } })).stream);
    assert.deepEqual(upstream.requests[0]?.body.text, {
      format: { type: 'json_schema', name: 'rock_info', schema, strict: true, description: 'A rock and its hardness' },
    });
    assert.deepEqual(upstream.requests[1]?.body.text, { format: { type: 'json_schema', name: 'response', schema, strict: true } });
    assert.equal(upstream.requests[1]?.body.stream, true);
  });

  it('sends a reasoning effort as reasoning.effort, merged with a reasoning object from extraBody, streaming too', async () => {
    upstream.respondWith('responses-text.json');
    upstream.respondWith('responses-text.json');
    upstream.respondWith('responses-text.json');
    await responses('gpt-5').generate({ ...question, reasoningEffort: 'max' });
    await responses('gpt-5').generate({ ...question, reasoningEffort: 'low', extraBody: { reasoning: { summary: 'auto' } } });
    await responses('gpt-5').generate({ ...question, reasoningEffort: 'low', extraBody: { reasoning: { effort: 'minimal' } } });
    upstream.respondWith('responses-text.chunks.txt');
    await collectParts((await responses('gpt-5').stream({ ...question, reasoningEffort: 'high' })).stream);
    assert.deepEqual(
      upstream.requests.map((request) => request.body.reasoning),
      [{ effort: 'max' }, { effort: 'low', summary: 'auto' }, { effort: 'minimal' }, { effort: 'high' }],
    );
  });

  it('streams text from output_text deltas, closing the block when its item is done', async () => {
    upstream.respondWith('responses-text.chunks.txt');
    const { stream } = await responses().stream(question);
    const id = 'msg_68a1f0c3a1b48190b2c3d4e5f6a7b8c9';
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id },
      { type: 'text-delta', id, delta: 'Granite' },
      { type: 'text-delta', id, delta: ' is a coarse-grained igneous rock.' },
      { type: 'text-end', id },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 21, outputTokens: 10 } },
    ]);
    assert.equal(upstream.requests[0]?.body.stream, true);
  });

  it('returns a reasoning summary and a tool call keyed by call_id, and streams them', async () => {
    upstream.respondWith('responses-tool-call.json');
    const options: CallOptions = { ...question, tools: [hardnessTool], toolChoice: { type: 'required' }, temperature: 0.5 };
    const result = await responses('o4-mini').generate(options);
    assert.equal(upstream.requests[0]?.body.tool_choice, 'required');
    assert.equal('temperature' in (upstream.requests[0]?.body ?? {}), false);
    assert.deepEqual(result.warnings, [{ setting: 'temperature', details: 'o4-mini is a reasoning model and takes no temperature; temperature was ignored.' }]);
    assert.deepEqual(result.content, [
      { type: 'reasoning', text: '**Looking up hardness**\n\nThe user wants the Mohs hardness of granite.' },
      { type: 'tool-call', toolCallId: 'call_Xk2nq8RbT1vL0pQe5sYdHw3M', toolName: 'get_rock_hardness', input: { rock: 'granite' } },
    ]);
    assert.equal(result.finishReason, 'tool-calls');
    assert.deepEqual(result.usage, { inputTokens: 58, outputTokens: 91 });

    upstream.respondWith('responses-tool-call.chunks.txt');
    const { stream } = await responses('o4-mini').stream(options);
    const reasoning = 'rs_68a1f0c2e0a08190b1c2d3e4f5a6b7c8:0';
    const call = 'call_Xk2nq8RbT1vL0pQe5sYdHw3M';
    assert.deepEqual(await collectParts(stream), [
      { type: 'stream-start', warnings: [{ setting: 'temperature', details: 'o4-mini is a reasoning model and takes no temperature; temperature was ignored.' }] },
      { type: 'reasoning-start', id: reasoning },
      { type: 'reasoning-delta', id: reasoning, delta: '**Looking up hardness**\n\nThe user wants' },
      { type: 'reasoning-delta', id: reasoning, delta: ' the Mohs hardness of granite.' },
      { type: 'reasoning-end', id: reasoning },
      { type: 'tool-input-start', id: call, toolName: 'get_rock_hardness' },
      { type: 'tool-input-delta', id: call, delta: '{"rock":' },
      { type: 'tool-input-delta', id: call, delta: '"granite"}' },
      { type: 'tool-input-end', id: call },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 58, outputTokens: 91 } },
    ]);
  });

  it('maps an incomplete response to length and warns about settings the API lacks', async () => {
    upstream.respondWith('responses-incomplete.json');
    const result = await responses().generate({ ...question, maxOutputTokens: 16, stopSequences: ['END'] });
    assert.equal(result.finishReason, 'length');
    assert.deepEqual(result.content, [{ type: 'text', text: 'Granite is a' }]);
    assert.deepEqual(
      result.warnings.map((warning) => warning.setting),
      ['stopSequences'],
    );
    assert.equal('stop' in (upstream.requests[0]?.body ?? {}), false);
  });

  it('turns an error event mid-stream into an error part', async () => {
    upstream.respondWith('responses-rate-limited.chunks.txt');
    const { stream } = await responses().stream(question);
    const parts = await collectParts(stream);
    assert.deepEqual(parts.at(-1), {
      type: 'error',
      code: 'ThrottlingException',
      message:
        'OpenAI is throttling requests: Rate limit reached for gpt-4.1-mini in organization org-outcrop on tokens per min (TPM): Limit 30000, Used 29950, Requested 120. Please try again in 140ms.',
    });
  });

  it('turns a stream that ends without response.completed into one error part', async () => {
    upstream.respondWith('responses-cut-short.chunks.txt');
    const parts = await collectParts((await responses().stream(question)).stream);
    assert.deepEqual(parts.slice(-2), [
      { type: 'text-delta', id: 'msg_68a1f0c3a1b48190b2c3d4e5f6a7b8c9', delta: 'Granite' },
      { type: 'error', code: 'ModelStreamErrorException', message: 'OpenAI ended the stream before it finished.' },
    ]);
  });

  it('maps HTTP errors: 429 with Retry-After, 400, 401', async () => {
    upstream.respondWith('rate-limited.json', { status: 429, headers: { 'retry-after': '3' } });
    const throttled = await rejectsWithCode(responses().stream(question), 'ThrottlingException');
    assert.equal(throttled.retryAfterSeconds, 3);
    upstream.respondWith('bad-request.json', { status: 400 });
    await rejectsWithCode(responses().generate(question), 'ValidationException', /expected one of an array of input item content/);
    upstream.respondWith('unauthorized.json', { status: 401 });
    await rejectsWithCode(responses().generate(question), 'ModelErrorException', /OPENAI_API_KEY/);
  });

  it('counts tokens with /v1/responses/input_tokens', async () => {
    upstream.respondWith('input-tokens.json');
    const count = await responses().countTokens({ ...question, tools: [hardnessTool], maxOutputTokens: 64 });
    assert.equal(count, 21);
    assert.equal(upstream.requests[0]?.path, '/v1/responses/input_tokens');
    assert.deepEqual(upstream.requests[0]?.body, {
      model: 'gpt-4.1-mini',
      instructions: 'You are a geologist.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'What is granite?' }] }],
      tools: [{ type: 'function', name: 'get_rock_hardness', description: 'Hardness of a rock', parameters: hardnessTool.inputSchema, strict: false }],
    });
  });

  it('refuses documents other than PDF', async () => {
    await rejectsWithCode(
      responses().generate({ prompt: [{ role: 'user', content: [{ type: 'document', format: 'docx', name: 'report', data: new Uint8Array([1]) }] }] }),
      'ValidationException',
    );
    assert.equal(upstream.requests.length, 0);
  });
});
