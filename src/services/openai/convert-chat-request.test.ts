import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcropError } from '../../core/errors.js';
import { chatCompletionRequestSchema } from './chat-completions-api.js';
import { convertChatRequest } from './convert-chat-request.js';
import { toOpenAIErrorResponse } from './openai-error.js';
import { parseOpenAIRequest } from './parse-openai-request.js';

const signal = new AbortController().signal;
const convert = (body: Record<string, unknown>) => convertChatRequest(parseOpenAIRequest(chatCompletionRequestSchema, body), signal);

/** The OpenAI error a conversion throws. */
function openAIErrorOf(body: Record<string, unknown>): { status: number; param: string | null; code: string | null; message: string } {
  try {
    convert(body);
  } catch (error) {
    assert.ok(OutcropError.isInstance(error), String(error));
    const response = toOpenAIErrorResponse(error);
    return { status: response.statusCode, ...response.body.error };
  }
  assert.fail('the request was accepted');
}

describe('convertChatRequest', () => {
  it('turns system and developer turns into system messages and merges consecutive tool results', () => {
    const options = convert({
      model: 'm',
      messages: [
        { role: 'developer', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: 'Hardness of granite and basalt?' },
        {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'hardness', arguments: '{"rock":"granite"}' } },
            { id: 'b', type: 'function', function: { name: 'hardness', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'a', content: '6.5' },
        { role: 'tool', tool_call_id: 'b', content: [{ type: 'text', text: '6' }] },
      ],
    });
    assert.deepEqual(options.prompt, [
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Hardness of granite and basalt?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', toolCallId: 'a', toolName: 'hardness', input: { rock: 'granite' } },
          { type: 'tool-call', toolCallId: 'b', toolName: 'hardness', input: {} },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'a', toolName: 'hardness', content: [{ type: 'text', text: '6.5' }], isError: false },
          { type: 'tool-result', toolCallId: 'b', toolName: 'hardness', content: [{ type: 'text', text: '6' }], isError: false },
        ],
      },
    ]);
    assert.equal(options.abortSignal, signal);
  });

  it('maps settings, prefers max_completion_tokens, and forwards fields it does not read', () => {
    const options = convert({
      model: 'm',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 10,
      max_completion_tokens: 20,
      temperature: 0,
      top_p: 0.5,
      top_k: 40,
      stop: 'END',
      seed: 1,
      repetition_penalty: 1.1,
      user: 'u',
      metadata: { a: 'b' },
      tools: [{ type: 'function', function: { name: 'dig' } }],
      tool_choice: 'none',
    });
    assert.equal(options.maxOutputTokens, 20);
    assert.equal(options.temperature, 0);
    assert.equal(options.topP, 0.5);
    assert.equal(options.topK, 40);
    assert.deepEqual(options.stopSequences, ['END']);
    assert.deepEqual(options.tools, [{ name: 'dig', inputSchema: { type: 'object', properties: {} } }]);
    assert.deepEqual(options.toolChoice, { type: 'none' });
    assert.deepEqual(options.extraBody, { seed: 1, repetition_penalty: 1.1 });
  });

  it("maps reasoning_effort to the neutral reasoning effort, passing levels Bedrock lacks to the backend as they are", () => {
    const hi = { model: 'm', messages: [{ role: 'user', content: 'Hi' }] };
    for (const level of ['low', 'medium', 'high', 'xhigh', 'max']) {
      const options = convert({ ...hi, reasoning_effort: level });
      assert.equal(options.reasoningEffort, level);
      assert.equal(options.extraBody, undefined);
    }
    const minimal = convert({ ...hi, reasoning_effort: 'minimal' });
    assert.equal(minimal.reasoningEffort, undefined);
    assert.deepEqual(minimal.extraBody, { reasoning_effort: 'minimal' });
    assert.equal('reasoningEffort' in convert(hi), false);
  });

  it('asks for JSON in the system turn when JSON mode is on and no message mentions it', () => {
    const options = convert({
      model: 'm',
      messages: [
        { role: 'system', content: 'You are a geologist.' },
        { role: 'user', content: 'Describe granite.' },
      ],
      response_format: { type: 'json_object' },
    });
    assert.deepEqual(options.extraBody, { response_format: { type: 'json_object' } });
    assert.equal(options.prompt.length, 2);
    const system = options.prompt[0]?.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    assert.match(system ?? '', /^You are a geologist\.\n\nRespond with a single JSON object, and nothing else\.$/);
    const text = convert({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], response_format: { type: 'text' } });
    assert.equal(text.extraBody, undefined);
    assert.equal(text.prompt.length, 1);
  });

  it('makes a json_schema response format with its schema the neutral structured output, strict only when asked', () => {
    const schema = { type: 'object', properties: { rock: { type: 'string' } }, required: ['rock'] };
    const options = convert({
      model: 'm',
      messages: [{ role: 'user', content: 'Describe granite.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'rock', description: 'A rock', schema } },
    });
    assert.deepEqual(options.responseFormat, { type: 'json-schema', schema, name: 'rock', description: 'A rock', strict: false, field: 'response_format.json_schema.schema' });
    assert.equal(options.extraBody, undefined);
    assert.equal(options.prompt.length, 1, 'no instruction: every backend enforces the schema itself');
    const strict = convert({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], response_format: { type: 'json_schema', json_schema: { name: 'rock', schema, strict: true } } });
    assert.equal(strict.responseFormat?.strict, true);
    // without a schema there is nothing to enforce: JSON mode, as json_object
    const unnamed = convert({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], response_format: { type: 'json_schema', json_schema: { name: 'rock' } } });
    assert.equal(unnamed.responseFormat, undefined);
    assert.deepEqual(unnamed.extraBody, { response_format: { type: 'json_schema', json_schema: { name: 'rock' } } });
  });

  it('refuses what it cannot honour, naming the field', () => {
    assert.deepEqual(
      { ...openAIErrorOf({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], n: 2 }), message: undefined },
      { status: 400, param: 'n', code: 'unsupported_value', message: undefined, type: 'invalid_request_error' },
    );
    assert.equal(openAIErrorOf({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], logprobs: true }).param, 'logprobs');
    assert.equal(openAIErrorOf({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream_options: { include_usage: true } }).param, 'stream_options');
    assert.equal(openAIErrorOf({ model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] }).param, 'messages[0].content[0].type');
    assert.equal(openAIErrorOf({ model: 'm', messages: [{ role: 'function', name: 'f', content: 'x' }] }).param, 'messages[0].role');
    assert.equal(openAIErrorOf({ model: 'm', messages: [{ role: 'system', content: 'Only a system turn' }] }).param, 'messages');
    assert.equal(
      openAIErrorOf({ model: 'm', messages: [{ role: 'assistant', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{' } }] }] }).param,
      'messages[0].tool_calls[0].function.arguments',
    );
    assert.equal(openAIErrorOf({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], tool_choice: 'required' }).param, 'tool_choice');
  });

  it('reports schema failures as OpenAI does', () => {
    assert.deepEqual(openAIErrorOf({ model: 'm' }), {
      status: 400,
      param: 'messages',
      code: 'missing_required_parameter',
      type: 'invalid_request_error',
      message: "Missing required parameter: 'messages'.",
    });
    const wrongType = openAIErrorOf({ model: 'm', messages: [{ role: 'user', content: 5 }] });
    assert.equal(wrongType.param, 'messages[0].content');
    assert.equal(wrongType.code, 'invalid_type');
    const wrongRole = openAIErrorOf({ model: 'm', messages: [{ role: 'robot', content: 'Hi' }] });
    assert.equal(wrongRole.param, 'messages[0].role');
    assert.match(wrongRole.message, /^Invalid value: 'robot'\. Supported values are: 'system'/);
  });
});
