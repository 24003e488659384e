import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import { LlamaStepBarrier } from './llama-step-barrier.js';

/** A sequence whose decodes finish when the test says so; `decodes` lists the decodes requested. */
function fakeSequence(name: string, decodes: string[], pending: Map<string, () => void>) {
  const sequence = {
    evaluate(tokens: Token[]) {
      return (async function* () {
        let input: Token | Token[] | undefined = tokens;
        for (let step = 0; ; step++) {
          decodes.push(`${name}:${step === 0 ? 'prompt' : String(input)}`);
          await new Promise<void>((resolve) => pending.set(name, resolve));
          input = yield (step + 100) as Token;
        }
      })();
    },
  };
  return sequence as unknown as LlamaContextSequence & { evaluate: (tokens: Token[]) => AsyncGenerator<Token, void, Token> };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Two watched sequences a and b whose prompts have been decoded: each is handling its first token. */
async function twoPrompted(barrier: LlamaStepBarrier) {
  const decodes: string[] = [];
  const pending = new Map<string, () => void>();
  const a = fakeSequence('a', decodes, pending);
  const b = fakeSequence('b', decodes, pending);
  const watches = [barrier.watch(a), barrier.watch(b)];
  const iteratorA = a.evaluate([1 as Token]);
  const iteratorB = b.evaluate([2 as Token]);
  const first = [iteratorA.next(), iteratorB.next()];
  await tick();
  pending.get('a')?.();
  pending.get('b')?.();
  await Promise.all(first);
  return { decodes, pending, watches, iteratorA, iteratorB };
}

describe('LlamaStepBarrier', () => {
  it('holds a sequence asking for its next token until the others have asked for theirs', async () => {
    const barrier = new LlamaStepBarrier();
    const { decodes, pending, watches, iteratorA, iteratorB } = await twoPrompted(barrier);
    // a asks for its next token while b still handles its own: a's decode waits
    const nextA = iteratorA.next(7 as Token);
    await tick();
    assert.deepEqual(decodes, ['a:prompt', 'b:prompt']);
    const nextB = iteratorB.next(8 as Token);
    await tick();
    assert.deepEqual(decodes, ['a:prompt', 'b:prompt', 'a:7', 'b:8']);
    pending.get('a')?.();
    pending.get('b')?.();
    await Promise.all([nextA, nextB]);
    // b's generation ends: a goes on alone
    await iteratorB.return();
    const lastA = iteratorA.next(9 as Token);
    await tick();
    assert.equal(decodes.at(-1), 'a:9');
    pending.get('a')?.();
    await lastA;
    await iteratorA.return();
    assert.equal(barrier.size, 0);
    for (const watch of watches) watch.dispose();
  });

  it('holds no one while a sequence evaluates its prompt', async () => {
    const barrier = new LlamaStepBarrier();
    const { decodes, pending, iteratorA, iteratorB } = await twoPrompted(barrier);
    const p = fakeSequence('p', decodes, pending);
    barrier.watch(p);
    const iteratorP = p.evaluate([3 as Token]);
    void iteratorP.next();
    await tick();
    // b still handles its token, but p's prompt keeps llama.cpp busy: a's token is queued at once
    const nextA = iteratorA.next(5 as Token);
    await tick();
    assert.deepEqual(decodes, ['a:prompt', 'b:prompt', 'p:prompt', 'a:5']);
    pending.get('a')?.();
    await nextA;
    await Promise.all([iteratorA.return(), iteratorB.return()]);
  });

  it('releases a waiting sequence when the one it waits for ends', async () => {
    const barrier = new LlamaStepBarrier();
    const { decodes, pending, iteratorA, iteratorB } = await twoPrompted(barrier);
    const nextA = iteratorA.next(3 as Token);
    await tick();
    assert.equal(decodes.includes('a:3'), false);
    await iteratorB.return();
    await tick();
    assert.equal(decodes.at(-1), 'a:3');
    pending.get('a')?.();
    await nextA;
    await iteratorA.return();
  });

  it('puts the sequence back as it was on dispose', () => {
    const barrier = new LlamaStepBarrier();
    const sequence = fakeSequence('a', [], new Map());
    const original = sequence.evaluate;
    const watch = barrier.watch(sequence);
    assert.notEqual(sequence.evaluate, original);
    watch.dispose();
    assert.equal(sequence.evaluate, original);
  });
});
