import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcropError } from '../../errors.js';
import type { StreamPart } from '../../inference/language-model.js';
import type { GuardrailEvaluation } from '../guardrail-assessment.js';
import { guardStream } from './guard-stream.js';

const usage = { inputTokens: 3, outputTokens: 9 };

function partsOf(deltas: string[], extra: StreamPart[] = []): ReadableStream<StreamPart> {
  const parts: StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't' },
    ...deltas.map((delta) => ({ type: 'text-delta' as const, id: 't', delta })),
    { type: 'text-end', id: 't' },
    ...extra,
    { type: 'finish', finishReason: 'stop', usage },
  ];
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}

/** Blocks any batch with "bad", masks "secret". */
async function check(text: string): Promise<GuardrailEvaluation> {
  const blocked = text.includes('bad');
  const masked = !blocked && text.includes('secret');
  const assessment = { invocationMetrics: { guardrailProcessingLatency: 0, usage: {} as never, guardrailCoverage: { textCharacters: { guarded: text.length, total: text.length } } } };
  return {
    action: blocked || masked ? 'GUARDRAIL_INTERVENED' : 'NONE',
    blocked,
    outputs: blocked ? [{ text: 'Blocked.' }] : [],
    maskedContent: [{ text: text.replaceAll('secret', '{X}'), qualifiers: [] }],
    assessments: [assessment],
    usage: {} as never,
    coverage: assessment.invocationMetrics.guardrailCoverage,
  };
}

async function read(stream: ReadableStream<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream as unknown as AsyncIterable<StreamPart>) parts.push(part);
  return parts;
}

const text = (parts: StreamPart[]) => parts.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('');

describe('guardStream', () => {
  it('sync: releases a batch only after it passes, masked, and keeps the finish', async () => {
    const { stream, outcome } = guardStream(partsOf(['Keep the ', 'secret safe. ', 'Fine text.']), { mode: 'sync', check, batchCharacters: 15 });
    const parts = await read(stream);
    assert.equal(text(parts), 'Keep the {X} safe. Fine text.');
    assert.deepEqual(parts.at(-1), { type: 'finish', finishReason: 'stop', usage });
    assert.equal(outcome.blocked, false);
    assert.equal(outcome.intervened, true);
    assert.deepEqual(outcome.modelOutput, ['Keep the secret safe. ', 'Fine text.']);
  });

  it('sync: a failing batch is replaced by the blocked messaging, with the model usage', async () => {
    const { stream, outcome } = guardStream(partsOf(['All good here. ', 'Then bad words.']), { mode: 'sync', check, batchCharacters: 15 });
    const parts = await read(stream);
    assert.equal(text(parts), 'All good here. Blocked.');
    assert.deepEqual(parts.at(-1), { type: 'finish', finishReason: 'content-filter', usage });
    assert.equal(parts.filter((part) => part.type === 'text-end').length, 1);
    assert.equal(outcome.blocked, true);
  });

  it('async: releases at once, then ends with the blocked messaging in a block of its own', async () => {
    const { stream, outcome } = guardStream(partsOf(['All good here. ', 'Then bad words.']), { mode: 'async', check, batchCharacters: 15 });
    const parts = await read(stream);
    assert.equal(text(parts), 'All good here. Then bad words.Blocked.');
    assert.deepEqual(parts.at(-1), { type: 'finish', finishReason: 'content-filter', usage });
    assert.equal(outcome.blocked, true);
  });

  it('passes tool-use parts through and fails the stream when a check throws', async () => {
    const tool: StreamPart[] = [
      { type: 'tool-input-start', id: 'c', toolName: 'lookup' },
      { type: 'tool-input-end', id: 'c' },
    ];
    const passed = await read(guardStream(partsOf(['Fine.'], tool), { mode: 'sync', check }).stream);
    assert.deepEqual(passed.filter((part) => part.type.startsWith('tool-')), tool);
    for (const mode of ['sync', 'async'] as const) {
      const failing = await read(guardStream(partsOf(['Some text.']), { mode, check: () => Promise.reject(new Error('embedding model down')) }).stream);
      const last = failing.at(-1);
      assert.equal(last?.type, 'error');
      assert.ok(last?.type === 'error' && OutcropError.isInstance(last.error) && last.error.code === 'InternalServerException');
      if (mode === 'sync') assert.equal(text(failing), '', 'nothing unchecked is released');
    }
  });
});
