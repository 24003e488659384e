import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { makeTestGguf } from '../../../scripts/make-test-gguf.js';
import type { EmbeddingModel } from '../../core/inference/embedding-model.js';
import { createLlamaCppProvider } from './llama-cpp-provider.js';

const provider = createLlamaCppProvider({ name: 'local', gpu: false, threads: 1, idleUnloadMs: 0 });
const embeddingModel = (path: string, dimensions?: number) => provider.embeddingModel?.(path, dimensions === undefined ? {} : { dimensions }) as EmbeddingModel;

after(() => provider.close());

describe('LlamaCppEmbeddingModel', () => {
  it('knows its dimensions from the GGUF header before loading', () => {
    assert.equal(embeddingModel(makeTestGguf('bert')).dimensions, 128);
    assert.equal(embeddingModel(makeTestGguf('llama')).dimensions, 576);
    assert.equal(embeddingModel('/nonexistent/model.gguf').dimensions, 0);
  });

  it('embeds each value with a BERT model and a decoder model, counting tokens with the model tokenizer', async () => {
    for (const [preset, size] of [['bert', 128], ['llama', 576]] as const) {
      const { embeddings, usage } = await embeddingModel(makeTestGguf(preset)).embed({ values: ['granite is an igneous rock', 'basalt'] });
      assert.equal(embeddings.length, 2);
      assert.ok(embeddings.every((vector) => vector.length === size && vector.every(Number.isFinite)));
      assert.notDeepEqual(embeddings[0], embeddings[1]);
      assert.ok(usage.inputTokens >= 3, `${preset}: ${usage.inputTokens}`);
    }
  });

  it('checks the configured size and refuses empty text', async () => {
    await assert.rejects(embeddingModel(makeTestGguf('bert'), 256).embed({ values: ['granite'] }), { name: 'ModelErrorException', message: /produces 128-dimension vectors/ });
    await assert.rejects(embeddingModel(makeTestGguf('bert')).embed({ values: [''] }), { name: 'ValidationException' });
  });
});
