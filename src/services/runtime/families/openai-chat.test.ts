import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRefused, chunksOf, familyContext, result } from '../../../../test/support/codec-harness.js';
import { openAIChat } from './openai-chat.js';

const hi = { messages: [{ role: 'user', content: 'Hi' }] };

describe('OpenAI gpt-oss body', () => {
  it('prefers max_completion_tokens, carries reasoning_effort as the neutral effort and passes OpenAI-only settings to the backend', () => {
    const options = openAIChat.parseRequest(
      { ...hi, max_tokens: 10, max_completion_tokens: 20, stop: 'END', seed: 3, reasoning_effort: 'low', response_format: { type: 'json_object' }, user: 'u-1' },
      familyContext(),
    );
    assert.equal(options.maxOutputTokens, 20);
    assert.deepEqual(options.stopSequences, ['END']);
    assert.equal(options.reasoningEffort, 'low');
    assert.deepEqual(options.extraBody, { seed: 3, response_format: { type: 'json_object' } });
    assert.equal('reasoningEffort' in openAIChat.parseRequest(hi, familyContext()), false);
  });

  it('carries a json_schema response format as structured output, not as a backend field', () => {
    const schema = { type: 'object', properties: { rock: { type: 'string' } }, required: ['rock'] };
    const options = openAIChat.parseRequest({ ...hi, seed: 1, response_format: { type: 'json_schema', json_schema: { name: 'rock', schema, strict: true } } }, familyContext());
    assert.deepEqual(options.responseFormat, { type: 'json-schema', schema, name: 'rock', strict: true, field: 'response_format.json_schema.schema' });
    assert.deepEqual(options.extraBody, { seed: 1 });
    const loose = openAIChat.parseRequest({ ...hi, response_format: { type: 'json_schema', json_schema: { name: 'rock', schema } } }, familyContext());
    assert.equal(loose.responseFormat?.strict, false, "OpenAI's default");
    assertRefused(openAIChat, { ...hi, response_format: { type: 'json_schema', json_schema: { name: 'rock' } } }, /#\/response_format\/json_schema\/schema: a json_schema response format needs/);
  });

  it('accepts model and stream only when they match the call', () => {
    openAIChat.parseRequest({ ...hi, model: 'openai.gpt-oss-20b-1:0', stream: false }, familyContext({ modelId: 'us.openai.gpt-oss-20b-1:0', stream: false }));
    openAIChat.parseRequest({ ...hi, stream: true }, familyContext({ stream: true }));
    openAIChat.parseRequest({ ...hi, stream: true }, familyContext());
    assert.throws(() => openAIChat.parseRequest({ ...hi, stream: false }, familyContext({ stream: true })), /#\/stream: must be true for InvokeModelWithResponseStream/);
    assert.throws(() => openAIChat.parseRequest({ ...hi, model: 'gpt-4o' }, familyContext()), /#\/model: 'gpt-4o' does not match/);
  });

  it('refuses what the neutral interface cannot carry, naming it', () => {
    assertRefused(openAIChat, { ...hi, n: 3 }, /#\/n: only one completion/);
    assertRefused(openAIChat, { ...hi, logprobs: true }, /#\/logprobs: log probabilities/);
    assertRefused(openAIChat, { ...hi, top_logprobs: 2 }, /#\/top_logprobs/);
    assertRefused(openAIChat, { ...hi, tools: [{ type: 'function', function: { name: 'a' } }], tool_choice: { type: 'function', function: { name: 'b' } } }, /tool 'b' is not defined/);
    assertRefused(openAIChat, { ...hi, functions: [] }, /#: extraneous key \[functions\]/);
    assertRefused(openAIChat, { ...hi, tool_choice: 'required' }, /#\/tool_choice: tool_choice needs tools/);
  });

  it('puts the reasoning in <reasoning> tags before the answer, as Bedrock documents', () => {
    const body = openAIChat.toResponse(result({ content: [{ type: 'reasoning', text: 'User greets.' }, { type: 'text', text: 'Hello!' }] }), familyContext()) as {
      choices: { message: { content: string } }[];
      object: string;
      usage: unknown;
    };
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.choices[0]?.message.content, '<reasoning>User greets.</reasoning>Hello!');
    assert.deepEqual(body.usage, { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
  });

  it('streams reasoning as tagged content and tool calls as OpenAI deltas', async () => {
    const chunks = await chunksOf(openAIChat, [
      { type: 'stream-start', warnings: [] },
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-delta', id: 'r', delta: 'hm' },
      { type: 'reasoning-end', id: 'r' },
      { type: 'tool-input-start', id: 'call_1', toolName: 'lookup' },
      { type: 'tool-input-delta', id: 'call_1', delta: '{"q":1}' },
      { type: 'tool-input-end', id: 'call_1' },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 4, outputTokens: 5 } },
    ]);
    const deltas = chunks.map((chunk) => (chunk.choices as { delta: unknown }[])[0]?.delta);
    assert.deepEqual(deltas, [
      { role: 'assistant', content: '' },
      { content: '<reasoning>' },
      { content: 'hm' },
      { content: '</reasoning>' },
      { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"q":1}' } }] },
      {},
    ]);
    assert.equal((chunks.at(-1) as { choices: { finish_reason: string }[] }).choices[0]?.finish_reason, 'tool_calls');
    assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk'));
  });
});
