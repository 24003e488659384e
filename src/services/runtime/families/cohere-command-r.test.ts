import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRefused, chunksOf, familyContext, result, textParts } from '../../../../test/support/codec-harness.js';
import { cohereCommandR } from './cohere-command-r.js';

const call = { name: 'query_daily_sales_report', parameters: { day: '2023-09-29' } };
const outputs = [{ date: '2023-09-29', summary: 'Total Sales Amount: 10000' }];

describe('Cohere Command R body', () => {
  it('maps p, k, stop_sequences and passes penalties and seed to the backend', () => {
    const options = cohereCommandR.parseRequest({ message: 'Hi', p: 0.75, k: 40, stop_sequences: ['END'], frequency_penalty: 0.2, seed: 7 }, familyContext());
    assert.deepEqual([options.topP, options.topK, options.stopSequences], [0.75, 40, ['END']]);
    assert.deepEqual(options.extraBody, { frequency_penalty: 0.2, seed: 7 });
    assert.equal('topK' in cohereCommandR.parseRequest({ message: 'Hi', k: 0 }, familyContext()), false, 'k = 0 turns top-k off');
  });

  it('turns Python parameter types into a JSON schema', () => {
    const options = cohereCommandR.parseRequest(
      {
        message: 'Hi',
        tools: [
          {
            name: 'report',
            description: 'Sales report',
            parameter_definitions: { day: { type: 'str', required: true, description: 'the day' }, stores: { type: 'List[int]' }, filters: { type: 'Dict' }, other: { type: 'Frobnicator' } },
          },
        ],
      },
      familyContext(),
    );
    assert.deepEqual(options.tools?.[0]?.inputSchema, {
      type: 'object',
      properties: { day: { type: 'string', description: 'the day' }, stores: { type: 'array', items: { type: 'integer' } }, filters: { type: 'object' }, other: {} },
      required: ['day'],
    });
  });

  it('single-step tool results: the question, the calls, then their outputs', () => {
    const options = cohereCommandR.parseRequest({ message: 'Sales on 29 September?', tool_results: [{ call, outputs }] }, familyContext());
    assert.deepEqual(
      options.prompt.map((message) => [message.role, message.content.map((part) => part.type)]),
      [
        ['user', ['text']],
        ['assistant', ['tool-call']],
        ['tool', ['tool-result']],
      ],
    );
    assert.deepEqual(options.prompt[2]?.content[0], {
      type: 'tool-result',
      toolCallId: 'cohere_call_0',
      toolName: call.name,
      content: [{ type: 'json', value: outputs[0] }],
      isError: false,
    });
  });

  it('multi-step tool results answer the calls the history already ends with', () => {
    const options = cohereCommandR.parseRequest(
      { message: '', chat_history: [{ role: 'USER', message: 'Sales?' }, { role: 'CHATBOT', message: '', tool_calls: [call] }], tool_results: [{ call, outputs }] },
      familyContext(),
    );
    assert.deepEqual(
      options.prompt.map((message) => message.role),
      ['user', 'assistant', 'tool'],
    );
    const toolCall = options.prompt[1]?.content[0];
    const toolResult = options.prompt[2]?.content[0];
    assert.equal(toolCall?.type === 'tool-call' && toolCall.toolCallId, toolResult?.type === 'tool-result' && toolResult.toolCallId);
  });

  it('refuses what the neutral interface cannot carry, naming it', () => {
    assertRefused(cohereCommandR, { message: 'Hi', search_queries_only: true }, /#\/search_queries_only/);
    assertRefused(cohereCommandR, { message: 'Hi', return_prompt: true }, /#\/return_prompt/);
    assertRefused(cohereCommandR, { message: 'Hi', raw_prompting: true }, /#\/raw_prompting/);
    assertRefused(cohereCommandR, { message: 'Hi', prompt_truncation: 'AUTO_PRESERVE_ORDER' }, /#\/prompt_truncation/);
    assertRefused(cohereCommandR, { message: '' }, /#\/message: expected a message or tool_results/);
    assertRefused(cohereCommandR, { message: 'Hi', chat_history: [{ role: 'BOT', message: 'x' }] }, /#\/chat_history\/0\/role/);
  });

  it('echoes the conversation in chat_history and maps the finish reason', () => {
    const context = familyContext();
    cohereCommandR.parseRequest({ message: 'And basalt?', chat_history: [{ role: 'USER', message: 'Granite?' }, { role: 'CHATBOT', message: 'Igneous.' }] }, context);
    const body = cohereCommandR.toResponse(result({ finishReason: 'length' }), context) as Record<string, unknown>;
    assert.deepEqual(body.chat_history, [
      { role: 'USER', message: 'Granite?' },
      { role: 'CHATBOT', message: 'Igneous.' },
      { role: 'USER', message: 'And basalt?' },
      { role: 'CHATBOT', message: 'Granite.' },
    ]);
    assert.equal(body.finish_reason, 'MAX_TOKENS');
    assert.deepEqual(body.meta, { api_version: { version: '1' }, billed_units: { input_tokens: 11, output_tokens: 3 } });
  });

  it('streams stream-start, text-generation and a stream-end holding the whole response', async () => {
    const context = familyContext();
    cohereCommandR.parseRequest({ message: 'Granite?' }, context);
    const chunks = await chunksOf(cohereCommandR, textParts(['Igne', 'ous.']), context);
    assert.deepEqual(
      chunks.map((chunk) => [chunk.event_type, chunk.is_finished]),
      [
        ['stream-start', false],
        ['text-generation', false],
        ['text-generation', false],
        ['stream-end', true],
      ],
    );
    const end = chunks[3] as { response: Record<string, unknown>; finish_reason: string };
    assert.equal(end.response.text, 'Igneous.');
    assert.equal(end.response.generation_id, chunks[0]?.generation_id);
    assert.equal(end.finish_reason, 'COMPLETE');
  });
});
