import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errors } from 'undici';
import { OutcropError } from '../../core/errors.js';
import type { StreamPart } from '../../core/inference/language-model.js';
import { StreamOutcome } from './stream-outcome.js';

function collect(): { parts: StreamPart[]; enqueue: (part: StreamPart) => void } {
  const parts: StreamPart[] = [];
  return { parts, enqueue: (part) => parts.push(part) };
}

/** error parts as code and message, so they compare by value */
function plain(parts: StreamPart[]): unknown[] {
  return parts.map((part) => (part.type === 'error' ? { type: 'error', code: (part.error as OutcropError).code, message: (part.error as OutcropError).message } : part));
}

describe('StreamOutcome', () => {
  it('emits the finish once and drops what comes after it', () => {
    const { parts, enqueue } = collect();
    const outcome = new StreamOutcome('Gemini');
    assert.equal(outcome.done, false);
    outcome.finish(enqueue, 'stop', { inputTokens: 3, outputTokens: 5 });
    assert.equal(outcome.done, true);
    outcome.finish(enqueue, 'length', { inputTokens: 0, outputTokens: 0 });
    outcome.fail(enqueue, new OutcropError('ModelStreamErrorException', 'late'));
    outcome.end(enqueue);
    outcome.brokeOff(enqueue, new Error('socket hang up'));
    assert.deepEqual(parts, [{ type: 'finish', finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 5 } }]);
  });

  it('reports one error, the first, and no finish after it', () => {
    const { parts, enqueue } = collect();
    const outcome = new StreamOutcome('Anthropic');
    outcome.fail(enqueue, new OutcropError('ThrottlingException', 'Anthropic is overloaded.'));
    outcome.fail(enqueue, new OutcropError('ModelStreamErrorException', 'second'));
    outcome.finish(enqueue, 'stop', { inputTokens: 1, outputTokens: 1 });
    outcome.end(enqueue, 'stop');
    assert.equal(outcome.done, true);
    assert.deepEqual(plain(parts), [{ type: 'error', code: 'ThrottlingException', message: 'Anthropic is overloaded.' }]);
  });

  it('a body that ends before the response finished is an error naming the backend', () => {
    const { parts, enqueue } = collect();
    new StreamOutcome('Amazon Bedrock').end(enqueue);
    new StreamOutcome('The model backend').end(enqueue, null, { inputTokens: 9, outputTokens: 9 });
    assert.deepEqual(plain(parts), [
      { type: 'error', code: 'ModelStreamErrorException', message: 'Amazon Bedrock ended the stream before it finished.' },
      { type: 'error', code: 'ModelStreamErrorException', message: 'The model backend ended the stream before it finished.' },
    ]);
  });

  it('a body that ends after a finish reason finishes with it, with zero usage unless given', () => {
    const { parts, enqueue } = collect();
    new StreamOutcome('Gemini').end(enqueue, 'tool-calls', { inputTokens: 4, outputTokens: 2, cacheReadInputTokens: 1 });
    new StreamOutcome('Amazon Bedrock').end(enqueue, 'length');
    assert.deepEqual(parts, [
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 4, outputTokens: 2, cacheReadInputTokens: 1 } },
      { type: 'finish', finishReason: 'length', usage: { inputTokens: 0, outputTokens: 0 } },
    ]);
  });

  it('a body that broke off is a stream error; a timeout stays a timeout; an OutcropError passes through', () => {
    const { parts, enqueue } = collect();
    new StreamOutcome('Ollama').brokeOff(enqueue, new errors.SocketError('other side closed'));
    new StreamOutcome('Ollama').brokeOff(enqueue, new errors.BodyTimeoutError());
    const own = new OutcropError('ModelStreamErrorException', 'The event stream ended inside a frame.');
    new StreamOutcome('Amazon Bedrock').brokeOff(enqueue, own);
    assert.deepEqual(plain(parts.slice(0, 1)), [{ type: 'error', code: 'ModelStreamErrorException', message: 'The model stream broke off: other side closed' }]);
    assert.equal(parts[1]?.type === 'error' && (parts[1].error as OutcropError).code, 'ModelTimeoutException');
    assert.equal(parts[2]?.type === 'error' && parts[2].error, own);
  });

  it('nothing breaks off a stream that already ended', () => {
    const { parts, enqueue } = collect();
    const outcome = new StreamOutcome('Cohere');
    outcome.end(enqueue);
    outcome.brokeOff(enqueue, new Error('socket hang up'));
    assert.deepEqual(plain(parts), [{ type: 'error', code: 'ModelStreamErrorException', message: 'Cohere ended the stream before it finished.' }]);
  });
});
