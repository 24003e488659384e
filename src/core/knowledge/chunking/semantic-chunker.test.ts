import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EmbeddingModel } from '../../inference/embedding-model.js';
import type { Provider } from '../../models/provider.js';
import { createUniversalSentenceEncoderProvider } from '../../../providers/universal-sentence-encoder/universal-sentence-encoder-provider.js';
import type { ChunkingInput } from './chunk.js';
import { chunkSemantically, percentile } from './semantic-chunker.js';
import { type TokenCounter, cachedTokenCounter, loadTokenCounter } from './token-counter.js';

const volcanoes = [
  'Volcanoes form where magma rises through cracks in the Earth\'s crust.',
  'When an eruption begins, molten lava pours down the slopes of the mountain.',
  'The lava cools and hardens into dark basalt rock.',
  'Explosive eruptions throw ash and pumice high into the atmosphere.',
  'Geologists measure tremors with seismometers to predict the next eruption.',
  'Over millions of years, repeated eruptions build tall volcanic cones.',
];
const bread = [
  'To bake bread, mix flour, water, yeast and a pinch of salt in a large bowl.',
  'Knead the dough on a floured table until it feels smooth and elastic.',
  'Leave the dough to rise in a warm kitchen until it doubles in size.',
  'Shape the loaf, score the top with a sharp knife, and place it on a baking tray.',
  'Bake it in a hot oven for about forty minutes until the crust is golden brown.',
  'Let the bread cool on a wire rack before slicing it for sandwiches.',
];

const hasVolcano = (text: string) => /magma|lava|eruption|volcan|basalt|seismometer/i.test(text);
const hasBread = (text: string) => /bread|dough|flour|oven|loaf|kitchen/i.test(text);

let counter: TokenCounter;
const providers: Provider[] = [];
before(async () => {
  counter = cachedTokenCounter(await loadTokenCounter());
});
after(async () => {
  await Promise.all(providers.map((provider) => provider.close()));
});

function documentOf(sentences: string[]): ChunkingInput {
  return { documentId: 'mixed.txt', text: sentences.join(' '), sections: [] };
}

/** Embeds by topic: sentences about volcanoes point one way, the rest the other. */
const topicModel: EmbeddingModel = {
  specificationVersion: 'outcrop.v1',
  provider: 'stub',
  modelId: 'topics',
  dimensions: 2,
  maxBatchSize: 4,
  async embed({ values }) {
    return { embeddings: values.map((value) => (hasVolcano(value) && !hasBread(value) ? [1, 0.1] : hasBread(value) && !hasVolcano(value) ? [0.1, 1] : [1, 1])), usage: { inputTokens: 0 } };
  },
};

describe('semantic chunking', () => {
  it('splits a document mixing two unrelated topics where the topic changes (built-in embedding model)', async () => {
    const provider = createUniversalSentenceEncoderProvider({ name: 'builtin', isolation: 'inline' });
    providers.push(provider);
    const embeddingModel = provider.embeddingModel!('universal-sentence-encoder-lite');
    const input = documentOf([...volcanoes, ...bread]);
    const exact = await chunkSemantically(input, { maxTokens: 500, bufferSize: 0, breakpointPercentileThreshold: 95 }, { counter, embeddingModel });
    assert.deepEqual(
      exact.map((chunk) => chunk.text),
      [volcanoes.join(' '), bread.join(' ')],
    );
    // with a buffer each embedding spans three sentences, so the change is smeared over two
    // neighbouring distances: the cut lands within one sentence of the boundary
    const buffered = await chunkSemantically(input, { maxTokens: 500, bufferSize: 1, breakpointPercentileThreshold: 95 }, { counter, embeddingModel });
    assert.equal(buffered.length, 2);
    const boundary = input.text.indexOf(bread[0]!);
    const cut = buffered[1]!.start;
    assert.ok(cut === boundary || cut === input.text.indexOf(bread[1]!) || cut === input.text.indexOf(volcanoes[5]!), `cut at ${cut}, topic changes at ${boundary}`);
    for (const chunk of [...exact, ...buffered]) assert.equal(chunk.text, input.text.slice(chunk.start, chunk.end));
  });

  it('cuts at every distance above the percentile, and splits groups over maxTokens at sentences', async () => {
    const input = documentOf([...volcanoes.slice(0, 2), ...bread.slice(0, 2), ...volcanoes.slice(2), ...bread.slice(2)]);
    const chunks = await chunkSemantically(input, { maxTokens: 500, bufferSize: 0, breakpointPercentileThreshold: 50 }, { counter, embeddingModel: topicModel });
    assert.equal(chunks.length, 4);
    for (const chunk of chunks) assert.ok(hasVolcano(chunk.text) !== hasBread(chunk.text), chunk.text);

    const small = await chunkSemantically(documentOf([...volcanoes, ...bread]), { maxTokens: 40, bufferSize: 0, breakpointPercentileThreshold: 95 }, { counter, embeddingModel: topicModel });
    for (const chunk of small) {
      assert.ok(chunk.tokenCount <= 40);
      assert.ok(/[.!?]$/.test(chunk.text), 'cut at a sentence end');
      assert.ok(hasVolcano(chunk.text) !== hasBread(chunk.text), 'still no chunk mixes topics');
    }
  });

  it('keeps a short document whole and embeds nothing', async () => {
    let calls = 0;
    const counting: EmbeddingModel = {
      ...topicModel,
      embed: async (options) => {
        calls++;
        return topicModel.embed(options);
      },
    };
    const chunks = await chunkSemantically(documentOf(volcanoes.slice(0, 2)), { maxTokens: 300, bufferSize: 1, breakpointPercentileThreshold: 95 }, { counter, embeddingModel: counting });
    assert.equal(chunks.length, 1);
    assert.equal(calls, 0);
  });

  it('computes percentiles as NumPy does', () => {
    assert.equal(percentile([1, 2, 3, 4], 50), 2.5);
    assert.equal(percentile([5], 95), 5);
    assert.ok(Math.abs(percentile([0, 10], 95) - 9.5) < 1e-9);
  });
});
