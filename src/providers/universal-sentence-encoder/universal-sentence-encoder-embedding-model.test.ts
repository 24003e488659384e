import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { EmbeddingModel } from '../../core/inference/embedding-model.js';
import type { Provider } from '../../core/models/provider.js';
import { createUniversalSentenceEncoderProvider } from './universal-sentence-encoder-provider.js';
import { createWorkerSentenceEncoder } from './worker-sentence-encoder.js';

const providers: Provider[] = [];

function model(isolation: 'worker' | 'inline', maxBatchSize?: number, threads?: number): EmbeddingModel {
  const provider = createUniversalSentenceEncoderProvider({ name: 'builtin', isolation, ...(maxBatchSize ? { maxBatchSize } : {}), ...(threads ? { threads } : {}) });
  providers.push(provider);
  return provider.embeddingModel!('universal-sentence-encoder-lite');
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let index = 0; index < a.length; index++) dot += (a[index] ?? 0) * (b[index] ?? 0);
  return dot;
}

after(async () => {
  await Promise.all(providers.map((provider) => provider.close()));
});

describe('Universal Sentence Encoder lite', () => {
  const worker = model('worker');

  it('gives 512-dimension unit vectors and counts tokens with its own vocabulary', async () => {
    const result = await worker.embed({ values: ['The cat sat on the mat', 'Stock markets fell sharply today'] });
    assert.equal(worker.dimensions, 512);
    assert.equal(result.embeddings.length, 2);
    for (const vector of result.embeddings) {
      assert.equal(vector.length, 512);
      assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-4);
    }
    assert.ok(result.usage.inputTokens >= 10, `tokens: ${result.usage.inputTokens}`);
  });

  it('leaves the process without the WebAssembly runtime\'s rethrowing handlers when run inline (the first inline load in this process)', async () => {
    const before = [process.listeners('unhandledRejection').length, process.listeners('uncaughtException').length];
    await model('inline').embed({ values: ['loads the model on this thread'] });
    assert.deepEqual([process.listeners('unhandledRejection').length, process.listeners('uncaughtException').length], before);
  });

  it('computes the same vectors in the worker as inline, whatever the batch', async () => {
    const texts = ['granite is an igneous rock', 'basalt forms from lava', 'limestone is sedimentary'];
    const [inWorker, inline, alone] = await Promise.all([worker.embed({ values: texts }), model('inline').embed({ values: texts }), worker.embed({ values: [texts[1] ?? ''] })]);
    for (let row = 0; row < texts.length; row++) assert.ok(cosine(inWorker.embeddings[row] ?? [], inline.embeddings[row] ?? []) > 0.9999);
    assert.ok(cosine(inWorker.embeddings[1] ?? [], alone.embeddings[0] ?? []) > 0.9999);
  });

  it('gives every text its own vector in order when a batch of mixed lengths is split into runs and across threads', async () => {
    const runner = createWorkerSentenceEncoder({ threads: 2, spareCores: () => 2 });
    try {
      const texts = [
        'granite',
        'a very long sentence about the slow formation of sedimentary rock layers at the bottom of ancient shallow seas over millions of years',
        'basalt forms from lava',
        '',
        'limestone is sedimentary and often holds fossils of marine creatures',
        'quartz',
      ];
      const [split, inline] = await Promise.all([runner.encode(texts), model('inline').embed({ values: texts })]);
      assert.equal(split.vectors.length, texts.length * 512);
      texts.forEach((_, row) => {
        const vector = Array.from(split.vectors.subarray(row * 512, (row + 1) * 512));
        assert.ok(cosine(vector, inline.embeddings[row] ?? []) > 0.9999, `row ${row}`);
      });
      assert.equal(split.tokenCounts.reduce((sum, count) => sum + count, 0), inline.usage.inputTokens);
      assert.equal(split.tokenCounts[3], 0);
      // Batches that arrive together while both threads are busy queue whole and all come back.
      const many = await Promise.all(texts.map((text) => runner.encode([text, `${text} again`])));
      many.forEach((batch, index) => {
        assert.ok(cosine(Array.from(batch.vectors.subarray(0, 512)), inline.embeddings[index] ?? []) > 0.9999, `batch ${index}`);
      });
    } finally {
      await runner.close();
    }
  });

  it('keeps a row for empty texts, last in the batch or alone', async () => {
    const result = await worker.embed({ values: ['hello', ''] });
    assert.equal(result.embeddings.length, 2);
    const alone = await worker.embed({ values: [''] });
    assert.equal(alone.embeddings[0]?.length, 512);
    assert.ok(cosine(result.embeddings[1] ?? [], alone.embeddings[0] ?? []) > 0.9999);
  });

  it('drops a queued batch whose caller went away, and keeps serving', async () => {
    const controller = new AbortController();
    const long = Array.from({ length: 32 }, (_, index) => `sentence ${index} about the rocks of the high mountains`);
    const first = worker.embed({ values: long });
    const dropped = worker.embed({ values: long, abortSignal: controller.signal });
    controller.abort();
    await assert.rejects(dropped, { name: 'AbortError' });
    assert.equal((await first).embeddings.length, 32);
    assert.equal((await worker.embed({ values: ['still here'] })).embeddings.length, 1);
  });

  it('fails pending batches when closed', async () => {
    const provider = createUniversalSentenceEncoderProvider({ name: 'closing' });
    const closing = provider.embeddingModel!('universal-sentence-encoder-lite');
    const pending = assert.rejects(closing.embed({ values: ['a sentence that will not be embedded'] }), { name: 'ServiceUnavailableException' });
    await provider.close();
    await pending;
  });

  it('refuses a configured size it cannot produce', () => {
    const provider = createUniversalSentenceEncoderProvider({ name: 'sized' });
    providers.push(provider);
    assert.throws(() => provider.embeddingModel!('universal-sentence-encoder-lite', { dimensions: 768 }), { name: 'ValidationException' });
  });
});
