import { availableParallelism, totalmem } from 'node:os';
import type { EmbeddingModel, EmbeddingModelSettings } from '../../core/inference/embedding-model.js';
import type { LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { RerankingModel } from '../../core/inference/reranking-model.js';
import type { Provider } from '../../core/models/provider.js';
import { LlamaCppChatModel } from './llama-cpp-chat-model.js';
import { LlamaCppEmbeddingModel } from './llama-cpp-embedding-model.js';
import { type LlamaGpuLayersOption, LlamaModelPool } from './llama-cpp-model-pool.js';
import { LlamaCppRerankingModel } from './llama-cpp-reranking-model.js';
import { type LlamaGpuOption, type LlamaRuntime, loadLlamaRuntime } from './llama-cpp-runtime.js';

export interface LlamaCppProviderOptions {
  name: string;
  /** `auto` (default): node-llama-cpp picks Metal, CUDA or Vulkan where the GPU and its prebuilt binary are present, else the CPU; `false`: CPU */
  gpu?: LlamaGpuOption;
  /** layers offloaded when a GPU is used: `auto` (default: as many as fit in VRAM beside the context), `max`, or a number */
  gpuLayers?: LlamaGpuLayersOption;
  /** CPU threads per model context (default: half the cores, at least 1) */
  threads?: number;
  /** requests one model serves at once, each on its own context sequence (default 1) */
  parallelSequences?: number;
  /** requests that may wait for a busy model before new ones get `ThrottlingException` (default 32) */
  maxQueue?: number;
  /** unload a model idle this long (default 5 minutes; 0 keeps models loaded) */
  idleUnloadMs?: number;
  /** the most memory (RAM plus VRAM, as node-llama-cpp's GgufInsights estimates weights and contexts) resident models may take; least recently used idle models unload first (default 75% of RAM) */
  memoryBudgetBytes?: number;
  /** tokens per sequence (default: the model's training context, at most 4,096) */
  contextSize?: number;
  /**
   * the most tokens one llama.cpp decode of a chat context evaluates, all its sequences together (default: node-llama-cpp's,
   * 512 or contextSize × parallelSequences when smaller); a longer prompt is evaluated in slices of this size. Smaller slices
   * cost one more pass over the weights each, and do not let a request that arrives meanwhile start sooner: its sequence's
   * previous conversation is erased under the context's lock, which node-llama-cpp holds until every queued slice is done
   */
  batchSize?: number;
  /**
   * how many requests the server is still receiving (connections and requests not yet at their operation):
   * a decode that carries a new prompt waits briefly for them, so requests sent together share it
   */
  pendingRequests?: () => number;
}

/**
 * Creates a provider that runs GGUF models in-process with llama.cpp (through node-llama-cpp). A
 * model's `upstreamModel` is the path of its GGUF file: chat models, embedding models and rerankers
 * (`kind: text | embedding | rerank`); each model loads on first use. node-llama-cpp
 * itself is imported on first use too, so a server without llama-cpp models never loads native code.
 *
 * @example
 * const local = createLlamaCppProvider({ name: 'local', parallelSequences: 4 });
 * const model = local.languageModel!('/models/SmolLM2-135M-Instruct-Q8_0.gguf', capabilities);
 */
export function createLlamaCppProvider(options: LlamaCppProviderOptions): Provider {
  const threads = options.threads ?? Math.max(1, Math.floor(availableParallelism() / 2));
  let runtime: Promise<LlamaRuntime> | undefined;
  const loadRuntime = (): Promise<LlamaRuntime> => {
    runtime ??= loadLlamaRuntime({ gpu: options.gpu ?? 'auto', maxThreads: Math.max(threads, availableParallelism()) }).catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
    return runtime;
  };
  const pool = new LlamaModelPool({
    runtime: loadRuntime,
    contextSize: options.contextSize,
    gpuLayers: options.gpuLayers ?? 'auto',
    parallelSequences: options.parallelSequences ?? 1,
    batchSize: options.batchSize,
    maxQueue: options.maxQueue ?? 32,
    threads,
    idleUnloadMs: options.idleUnloadMs ?? 5 * 60_000,
    memoryBudgetBytes: options.memoryBudgetBytes ?? Math.floor(totalmem() * 0.75),
    ...(options.pendingRequests ? { pendingRequests: options.pendingRequests } : {}),
  });
  return {
    name: options.name,
    type: 'llama-cpp',
    languageModel(modelId: string, capabilities: ModelCapabilities): LanguageModel {
      // Tool choice `auto` relies on the model writing function-call syntax by itself; forced choices are grammar-constrained.
      return new LlamaCppChatModel(modelId, { name: options.name, capabilities: { freeToolChoice: false, ...capabilities }, pool });
    },
    embeddingModel(modelId: string, settings: EmbeddingModelSettings = {}): EmbeddingModel {
      return new LlamaCppEmbeddingModel(modelId, { name: options.name, pool, ...(settings.dimensions === undefined ? {} : { dimensions: settings.dimensions }) });
    },
    rerankingModel(modelId: string): RerankingModel {
      return new LlamaCppRerankingModel(modelId, { name: options.name, pool });
    },
    async close() {
      await pool.close();
      const loaded = await runtime?.catch(() => undefined);
      await loaded?.llama.dispose();
    },
  };
}
