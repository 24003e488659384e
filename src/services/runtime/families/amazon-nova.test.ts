import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRefused, chunksOf, familyContext, result } from '../../../../test/support/codec-harness.js';
import { amazonNova } from './amazon-nova.js';

const user = (content: unknown[]) => ({ messages: [{ role: 'user', content }] });
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64');
const tools = { tools: [{ toolSpec: { name: 'lookup', inputSchema: { json: { type: 'object' } } } }] };

describe('Amazon Nova body', () => {
  it('reads both spellings of the inference settings, but not both at once', () => {
    const snake = amazonNova.parseRequest({ ...user([{ text: 'Hi' }]), inferenceConfig: { max_new_tokens: 9, top_p: 0.5, top_k: 4, stopSequences: ['END'] } }, familyContext());
    assert.deepEqual([snake.maxOutputTokens, snake.topP, snake.topK, snake.stopSequences], [9, 0.5, 4, ['END']]);
    const camel = amazonNova.parseRequest({ ...user([{ text: 'Hi' }]), inferenceConfig: { maxTokens: 9, topP: 0.5, topK: 4 } }, familyContext());
    assert.deepEqual([camel.maxOutputTokens, camel.topP, camel.topK], [9, 0.5, 4]);
    assertRefused(amazonNova, { ...user([{ text: 'Hi' }]), inferenceConfig: { maxTokens: 9, max_new_tokens: 9 } }, /#\/inferenceConfig\/max_new_tokens: set either maxTokens or max_new_tokens/);
    assertRefused(amazonNova, { ...user([{ text: 'Hi' }]), inferenceConfig: { max_tokens: 9 } }, /#\/inferenceConfig: extraneous key \[max_tokens\]/);
  });

  it('carries reasoningConfig maxReasoningEffort as the neutral reasoning effort when reasoning is enabled', () => {
    const parse = (reasoningConfig: unknown) => amazonNova.parseRequest({ ...user([{ text: 'Hi' }]), inferenceConfig: { reasoningConfig } }, familyContext());
    assert.equal(parse({ type: 'enabled', maxReasoningEffort: 'low' }).reasoningEffort, 'low');
    assert.equal(parse({ type: 'enabled', maxReasoningEffort: 'high' }).reasoningEffort, 'high');
    assert.equal('reasoningEffort' in parse({ type: 'disabled', maxReasoningEffort: 'high' }), false);
    assert.equal('reasoningEffort' in parse({ type: 'disabled' }), false);
    assertRefused(amazonNova, { ...user([{ text: 'Hi' }]), inferenceConfig: { reasoningConfig: { type: 'enabled', maxReasoningEffort: 'max' } } }, /#\/inferenceConfig\/reasoningConfig\/maxReasoningEffort/);
  });

  it('converts images, tool uses, tool results and reasoning, and skips cache points', () => {
    const options = amazonNova.parseRequest(
      {
        system: [{ text: 'Be brief.' }, { cachePoint: { type: 'default' } }],
        messages: [
          { role: 'user', content: [{ text: 'What is this?' }, { image: { format: 'png', source: { bytes: png } } }, { cachePoint: { type: 'default' } }] },
          { role: 'assistant', content: [{ reasoningContent: { reasoningText: { text: 'hmm', signature: 's' } } }, { toolUse: { toolUseId: 't1', name: 'lookup', input: { q: 1 } } }] },
          { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ json: { a: 1 } }, { text: 'ok' }], status: 'error' } }] },
        ],
        ...{ toolConfig: { ...tools, toolChoice: { tool: { name: 'lookup' } } } },
      },
      familyContext(),
    );
    assert.deepEqual(
      options.prompt.map((message) => [message.role, message.content.map((part) => part.type)]),
      [
        ['system', ['text']],
        ['user', ['text', 'image']],
        ['assistant', ['reasoning', 'tool-call']],
        ['user', ['tool-result']],
      ],
    );
    assert.deepEqual(options.prompt[3]?.content[0], { type: 'tool-result', toolCallId: 't1', content: [{ type: 'json', value: { a: 1 } }, { type: 'text', text: 'ok' }], isError: true });
    assert.deepEqual(options.toolChoice, { type: 'tool', toolName: 'lookup' });
    assert.deepEqual(options.tools, [{ name: 'lookup', inputSchema: { type: 'object' } }]);
  });

  it('refuses what the neutral interface cannot carry, naming it', () => {
    assertRefused(amazonNova, user([{ image: { format: 'png', source: { s3Location: { uri: 's3://b/k' } } } }]), /#\/messages\/0\/content\/0\/image\/source\/s3Location/);
    assertRefused(amazonNova, user([{ document: { format: 'pdf', name: 'd', source: { bytes: 'AA' } } }]), /#\/messages\/0\/content\/0\/document: document content is not supported/);
    assertRefused(amazonNova, user([{ text: 'a', image: { format: 'png', source: { bytes: png } } }]), /expected exactly one member, found text, image/);
    assertRefused(amazonNova, { ...user([{ text: 'Hi' }]), inferenceConfig: { reasoningConfig: { type: 'enabled' } } }, /#\/inferenceConfig\/reasoningConfig: extended reasoning/);
    assertRefused(amazonNova, { ...user([{ text: 'Hi' }]), toolConfig: { ...tools, toolChoice: { tool: { name: 'other' } } } }, /tool 'other' is not defined/);
    assertRefused(amazonNova, { messages: [{ role: 'assistant', content: [{ text: 'Hi' }] }] }, /must start with a user message/);
    assertRefused(amazonNova, { ...user([{ text: 'Hi' }]), schemaVersion: 'messages-v2' }, /#\/schemaVersion/);
  });

  it('answers reasoning, text and tool use blocks with stop reason tool_use', () => {
    const body = amazonNova.toResponse(
      result({
        content: [
          { type: 'reasoning', text: 'think' },
          { type: 'text', text: 'Let me look.' },
          { type: 'tool-call', toolCallId: 't1', toolName: 'lookup', input: { q: 1 } },
        ],
        finishReason: 'tool-calls',
        usage: { inputTokens: 5, outputTokens: 7, cacheReadInputTokens: 2 },
      }),
      familyContext(),
    );
    assert.deepEqual(body, {
      output: {
        message: {
          content: [{ reasoningContent: { reasoningText: { text: 'think' } } }, { text: 'Let me look.' }, { toolUse: { toolUseId: 't1', name: 'lookup', input: { q: 1 } } }],
          role: 'assistant',
        },
      },
      stopReason: 'tool_use',
      usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12, cacheReadInputTokenCount: 2, cacheWriteInputTokenCount: 0 },
    });
    assert.equal((amazonNova.toResponse(result({ finishReason: 'length' }), familyContext()) as { stopReason: string }).stopReason, 'max_tokens');
  });

  it('streams reasoning and text as separate content blocks', async () => {
    const chunks = await chunksOf(amazonNova, [
      { type: 'stream-start', warnings: [] },
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-delta', id: 'r', delta: 'think' },
      { type: 'reasoning-end', id: 'r' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Granite.' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: 'stop-sequence', usage: { inputTokens: 4, outputTokens: 2 } },
    ]);
    assert.deepEqual(chunks.slice(0, -1), [
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { delta: { reasoningContent: { text: 'think' } }, contentBlockIndex: 0 } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockDelta: { delta: { text: 'Granite.' }, contentBlockIndex: 1 } },
      { contentBlockStop: { contentBlockIndex: 1 } },
      { messageStop: { stopReason: 'stop_sequence' } },
    ]);
    assert.deepEqual(chunks.at(-1)?.metadata, { usage: { inputTokens: 4, outputTokens: 2 }, metrics: {}, trace: {} });
  });
});
