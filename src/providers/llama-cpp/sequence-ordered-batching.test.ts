import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BatchItem, EvaluationPriority, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { makeTestGguf } from '../../../scripts/make-test-gguf.js';
import { type LlamaRuntime, loadLlamaRuntime } from './llama-cpp-runtime.js';
import { SequenceOrderedBatching, shareBatch } from './sequence-ordered-batching.js';

function item(length: number, evaluationPriority: EvaluationPriority = 5): BatchItem {
  return { tokens: Array.from({ length }, (_, index) => index as Token), logits: [], evaluationPriority };
}

/** A context whose queue holds `items` for these sequence ids, as node-llama-cpp's does. */
function contextQueuing(items: BatchItem[], sequenceIds: number[]): LlamaContext {
  return { _queuedDecodes: items.map((queued, index) => ({ sequenceId: sequenceIds[index], tokens: queued.tokens })) } as unknown as LlamaContext;
}

describe('shareBatch', () => {
  it('gives each queue an equal share of the batch', () => {
    assert.deepEqual(shareBatch([item(300), item(300), item(300), item(300)], 512), [128, 128, 128, 128]);
  });

  it('gives what a short queue leaves to the others, and stops at the batch size', () => {
    assert.deepEqual(shareBatch([item(1), item(400), item(20), item(400)], 512), [1, 246, 20, 245]);
    assert.equal(
      shareBatch([item(1), item(400), item(20), item(400)], 512).reduce((sum, share) => sum + share, 0),
      512,
    );
  });

  it('takes everything when it fits', () => {
    assert.deepEqual(shareBatch([item(1), item(1), item(3)], 512), [1, 1, 3]);
  });

  it('gives the tokens an equal split cannot place to the higher evaluation priority first', () => {
    assert.deepEqual(shareBatch([item(10, 1), item(10, 5), item(10, 3)], 5), [1, 2, 2]);
    assert.deepEqual(shareBatch([item(10, 1), item(10, 5)], 3), [1, 2]);
  });

  it('shares a batch smaller than the number of queues one token at a time, by priority', () => {
    assert.deepEqual(shareBatch([item(5, 2), item(5, 4), item(5, 3)], 2), [0, 1, 1]);
  });
});

describe('SequenceOrderedBatching', () => {
  it('orders the items it takes by sequence id, whatever order they were queued in', () => {
    const items = [item(300), item(300), item(300), item(300)];
    const batching = new SequenceOrderedBatching();
    batching.attach(contextQueuing(items, [2, 0, 3, 1]));
    const prioritized = batching.prioritize({ items, size: 512 });
    assert.deepEqual(
      prioritized.map((chosen) => items.indexOf(chosen.item)),
      [1, 3, 0, 2],
    );
    assert.deepEqual(
      prioritized.map((chosen) => chosen.processAmount),
      [128, 128, 128, 128],
    );
    assert.equal(batching.unordered, 0);
  });

  it('leaves out the items that get no tokens', () => {
    const items = [item(5, 2), item(5, 4), item(5, 3)];
    const batching = new SequenceOrderedBatching();
    batching.attach(contextQueuing(items, [0, 2, 1]));
    assert.deepEqual(
      batching.prioritize({ items, size: 2 }).map((chosen) => items.indexOf(chosen.item)),
      [2, 1],
    );
  });

  it("keeps the arrival order, and counts it, when the context's queue does not match the items", () => {
    const items = [item(300), item(300)];
    const cases: (LlamaContext | undefined)[] = [
      undefined,
      {} as LlamaContext,
      contextQueuing([item(300), item(300)], [1, 0]), // other token arrays
      contextQueuing(items.slice(0, 1), [1]), // a queue of another length
    ];
    for (const context of cases) {
      const batching = new SequenceOrderedBatching();
      if (context) batching.attach(context);
      assert.deepEqual(
        batching.prioritize({ items, size: 512 }).map((chosen) => items.indexOf(chosen.item)),
        [0, 1],
      );
      assert.equal(batching.unordered, 1);
    }
  });

  describe('on a real context (generated GGUF)', () => {
    let runtime: LlamaRuntime;
    let model: LlamaModel;
    before(async () => {
      runtime = await loadLlamaRuntime({ gpu: false, maxThreads: 1 });
      model = await runtime.llama.loadModel({ modelPath: makeTestGguf('llama') });
    });
    after(async () => {
      await model.dispose();
      await runtime.llama.dispose();
    });

    it("matches node-llama-cpp's queue, so a decode holds its sequences in ascending order", async () => {
      const batching = new SequenceOrderedBatching();
      const context = await model.createContext({ contextSize: 256, sequences: 4, threads: 1, batching: { itemPrioritizationStrategy: batching.prioritize } });
      batching.attach(context);
      try {
        // what llama.cpp receives: the sequence of each slice added to a batch, batch by batch
        const native = (context as unknown as { _ctx: Record<string, (...args: unknown[]) => unknown> })._ctx;
        const batches: number[][] = [];
        for (const [name, record] of [
          ['initBatch', () => batches.push([])],
          ['addToBatch', (sequenceId: unknown) => batches.at(-1)?.push(sequenceId as number)],
        ] as const) {
          const original = native[name]?.bind(native);
          assert.ok(original, `node-llama-cpp's context has ${name}`);
          Object.defineProperty(native, name, {
            value: (...args: unknown[]) => {
              record(args[0]);
              return original(...args);
            },
          });
        }
        const sequences: LlamaContextSequence[] = Array.from({ length: 4 }, () => context.getSequence());
        const prompt = model.tokenize('Granite, basalt and schist along the ridge.');
        // evaluations queued in the order 2, 0, 3, 1, in one tick
        const runs = [2, 0, 3, 1].map(async (index) => {
          const sequence = sequences[index] as LlamaContextSequence;
          let generated = 0;
          for await (const _token of sequence.evaluate(prompt, { temperature: 0 })) if (++generated === 3) break;
        });
        await Promise.all(runs);
        const shared = batches.filter((batch) => batch.length > 1);
        assert.ok(shared.length >= 2, `the prompts and tokens shared decodes: ${JSON.stringify(batches)}`);
        for (const batch of shared) {
          assert.deepEqual(
            batch,
            [...batch].sort((a, b) => a - b),
            `a batch in sequence order: ${JSON.stringify(batches)}`,
          );
        }
        assert.equal(batching.unordered, 0);
      } finally {
        await context.dispose();
      }
    });
  });
});
