import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import { tapSequenceEvaluate } from './tap-sequence-evaluate.js';

/** A sequence whose evaluate yields 10, 11, 12 and records what it was asked to decode. */
function fakeSequence(decoded: Token[][]): LlamaContextSequence {
  return {
    async *evaluate(tokens: Token[]) {
      let decoding = tokens;
      for (const token of [10, 11, 12] as Token[]) {
        decoded.push(decoding);
        const replacement: Token | Token[] | undefined = yield token;
        decoding = Array.isArray(replacement) ? replacement : [replacement ?? token];
      }
    },
  } as unknown as LlamaContextSequence;
}

describe('tapSequenceEvaluate', () => {
  it('tells each watcher the prompt, every token, what the next decode evaluates, and the end', async () => {
    const decoded: Token[][] = [];
    const sequence = fakeSequence(decoded);
    const events: string[] = [];
    const watch = tapSequenceEvaluate(sequence, (tokens) => {
      events.push(`start ${tokens}`);
      return { token: (token) => events.push(`token ${token}`), next: (decoding) => void events.push(`next ${decoding}`), end: () => events.push('end') };
    });
    const iterator = sequence.evaluate([1, 2] as Token[]);
    await iterator.next();
    await iterator.next([7, 8] as unknown as Token);
    await iterator.next();
    await iterator.return(undefined);
    assert.deepEqual(events, ['start 1,2', 'token 10', 'next 7,8', 'token 11', 'next 11', 'token 12', 'end']);
    assert.deepEqual(decoded, [[1, 2], [7, 8], [11]], 'the tap passes replacements through');
    watch.dispose();
  });

  it('starts no hooks for an iteration never started, and restores evaluate once every watcher is disposed, in any order', async () => {
    const sequence = fakeSequence([]);
    const original = sequence.evaluate;
    let started = 0;
    const first = tapSequenceEvaluate(sequence, () => {
      started++;
      return {};
    });
    const second = tapSequenceEvaluate(sequence, () => {
      started++;
      return {};
    });
    const unstarted = sequence.evaluate([1] as Token[]);
    await unstarted.return(undefined);
    assert.equal(started, 0);
    first.dispose();
    assert.notEqual(sequence.evaluate, original, 'still watched by the second');
    second.dispose();
    assert.equal(sequence.evaluate, original);
  });

  it('lets a watcher hold the next decode back', async () => {
    const decoded: Token[][] = [];
    const sequence = fakeSequence(decoded);
    let release: () => void = () => {};
    const watch = tapSequenceEvaluate(sequence, () => ({ next: () => new Promise<void>((resolve) => (release = resolve)) }));
    const iterator = sequence.evaluate([1] as Token[]);
    await iterator.next();
    const next = iterator.next();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(decoded.length, 1, 'held');
    release();
    await next;
    assert.equal(decoded.length, 2);
    await iterator.return(undefined);
    watch.dispose();
  });
});
