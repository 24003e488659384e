import assert from 'node:assert/strict';
import { type AwsErrorCode, OutcropError } from '../../src/core/errors.js';
import type { StreamPart } from '../../src/core/inference/language-model.js';

/** Every part of a stream, with error parts reduced to their code and message for `deepEqual`. */
export async function collectParts(stream: ReadableStream<StreamPart>): Promise<unknown[]> {
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

/** Asserts that a call fails with this Bedrock error code (and message), and returns the error. */
export async function rejectsWithCode(promise: Promise<unknown>, code: AwsErrorCode, message?: RegExp): Promise<OutcropError> {
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
