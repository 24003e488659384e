import assert from 'node:assert/strict';
import type { GenerateResult, StreamPart } from '../../src/core/inference/language-model.js';
import { OutcropError } from '../../src/core/errors.js';
import type { FamilyCodec, FamilyContext } from '../../src/services/runtime/families/family.js';

/** Helpers for the family codec unit tests: a call context, neutral results and part streams. */

export function familyContext(overrides: Partial<FamilyContext> = {}): FamilyContext {
  return { modelId: 'test.model-v1:0', started: performance.now(), ...overrides };
}

export function result(overrides: Partial<GenerateResult> = {}): GenerateResult {
  return { content: [{ type: 'text', text: 'Granite.' }], finishReason: 'stop', usage: { inputTokens: 11, outputTokens: 3 }, warnings: [], ...overrides };
}

/** The parts of a plain text answer, as a provider streams them. */
export function textParts(pieces: string[], finishReason: GenerateResult['finishReason'] = 'stop'): StreamPart[] {
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't' },
    ...pieces.map((delta): StreamPart => ({ type: 'text-delta', id: 't', delta })),
    { type: 'text-end', id: 't' },
    { type: 'finish', finishReason, usage: { inputTokens: 11, outputTokens: pieces.length } },
  ];
}

/** The chunks a codec writes for a stream of neutral parts. */
export async function chunksOf(codec: FamilyCodec, parts: StreamPart[], context = familyContext()): Promise<Record<string, unknown>[]> {
  const stream = new ReadableStream<StreamPart>({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
  const chunks: Record<string, unknown>[] = [];
  for await (const chunk of codec.toChunks(stream, context)) chunks.push(chunk as Record<string, unknown>);
  return chunks;
}

/** Asserts that parsing `body` fails with a ValidationException whose message matches `message`. */
export function assertRefused(codec: FamilyCodec, body: unknown, message: RegExp): void {
  assert.throws(
    () => codec.parseRequest(body, familyContext()),
    (error: unknown) => {
      assert.ok(OutcropError.isInstance(error), String(error));
      assert.equal(error.code, 'ValidationException');
      assert.match(error.message, message);
      return true;
    },
  );
}
