import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ChatWrapper, GgufInsights, LlamaContext, LlamaContextSequence, LlamaEmbeddingContext, LlamaModel, LlamaRankingContext } from 'node-llama-cpp';
import { OutcropError } from '../../core/errors.js';
import { mapLlamaCppLoadError } from './llama-cpp-error.js';
import type { LlamaRuntime } from './llama-cpp-runtime.js';
import { SequenceQueue } from './llama-cpp-sequence-queue.js';
import { readGgufMetadata } from './read-gguf-metadata.js';
import { resolveLlamaChatWrapper } from './resolve-llama-chat-wrapper.js';
import { validateGgufFile } from './validate-gguf-file.js';

/** Layers offloaded to the GPU (node-llama-cpp's `gpuLayers`); ignored on the CPU. */
export type LlamaGpuLayersOption = 'auto' | 'max' | number;

export interface LlamaModelPoolSettings {
  /** node-llama-cpp and its binding, loaded once on first use */
  runtime: () => Promise<LlamaRuntime>;
  /** tokens per sequence; unset: the model's training context, at most 4,096 */
  contextSize: number | undefined;
  /** layers offloaded when the runtime uses a GPU (default `auto`: as many as fit) */
  gpuLayers?: LlamaGpuLayersOption;
  /** sequences per chat context: requests one model serves at once */
  parallelSequences: number;
  /** the most tokens one decode of a chat context evaluates (node-llama-cpp's `batchSize`); unset: node-llama-cpp's default */
  batchSize?: number | undefined;
  /** requests that may wait for a sequence before new ones are throttled */
  maxQueue: number;
  threads: number;
  /** unload a model this long after its last request ends; 0 keeps it */
  idleUnloadMs: number;
  /** resident models' estimated memory (RAM and VRAM: weights and contexts) may not exceed this */
  memoryBudgetBytes: number;
}

/** What a loaded model offers: its chat context (created on first chat use) and embedding context. */
export interface ChatResources {
  queue: SequenceQueue<LlamaContextSequence>;
  chatWrapper: ChatWrapper;
  contextSize: number;
}

export interface EmbeddingResources {
  queue: SequenceQueue<LlamaEmbeddingContext>;
}

export interface RankingResources {
  queue: SequenceQueue<LlamaRankingContext>;
}

export interface ResidentModel {
  readonly path: string;
  /** estimated memory of the weights and the contexts created so far (node-llama-cpp's GgufInsights) */
  readonly bytes: number;
  readonly model: LlamaModel;
  readonly runtime: LlamaRuntime;
  chat(): Promise<ChatResources>;
  embedding(): Promise<EmbeddingResources>;
  ranking(): Promise<RankingResources>;
}

/** A model held for one request; while any is held the model stays loaded. */
export interface ModelHandle {
  readonly resident: ResidentModel;
  release(): void;
}

interface Entry extends ResidentModel {
  bytes: number;
  active: number;
  lastUsed: number;
  idleTimer: NodeJS.Timeout | undefined;
  chatResources: Promise<ChatResources> | undefined;
  embeddingResources: Promise<EmbeddingResources> | undefined;
  rankingResources: Promise<RankingResources> | undefined;
}

/**
 * The models of one llama-cpp provider that are in memory. A model loads on first use, after its GGUF
 * file passed `validateGgufFile` (a corrupt file never reaches llama.cpp). Memory is estimated with
 * node-llama-cpp's GgufInsights: the weights when a model loads, each context (its KV cache for the
 * configured size and sequences, and compute buffers) when it is created. When one more would pass
 * `memoryBudgetBytes`, the least recently used idle models are unloaded first; a model idle for
 * `idleUnloadMs` is unloaded on its own. A model serving or queueing requests is never unloaded.
 *
 * @example
 * const handle = await pool.acquire('/models/smollm2.gguf');
 * try { const { queue } = await handle.resident.chat(); ... } finally { handle.release(); }
 */
export class LlamaModelPool {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();
  private readonly unloading = new Map<string, Promise<void>>();
  /** bytes of models being loaded right now, counted against the budget */
  private reservedBytes = 0;
  private closed = false;

  constructor(private readonly settings: LlamaModelPoolSettings) {}

  /** paths of the models in memory, least recently used first */
  residentPaths(): string[] {
    return [...this.entries.values()].sort((a, b) => a.lastUsed - b.lastUsed).map((entry) => entry.path);
  }

  async acquire(modelPath: string): Promise<ModelHandle> {
    if (this.closed) throw new OutcropError('ServiceUnavailableException', 'The llama-cpp provider is shutting down.');
    const path = resolve(modelPath);
    let entry: Entry | undefined;
    // a model unloaded (budget, idle timer) between its load and this request taking it loads again
    while (!entry || this.entries.get(path) !== entry) {
      await this.unloading.get(path);
      entry = this.entries.get(path);
      if (!entry) {
        let pending = this.loading.get(path);
        if (!pending) {
          pending = this.load(path).finally(() => this.loading.delete(path));
          this.loading.set(path, pending);
        }
        entry = await pending;
      }
    }
    entry.active++;
    entry.lastUsed = performance.now();
    clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    let released = false;
    const held = entry;
    return {
      resident: held,
      release: () => {
        if (released) return;
        released = true;
        held.active--;
        held.lastUsed = performance.now();
        if (held.active === 0 && this.settings.idleUnloadMs > 0 && this.entries.get(held.path) === held) {
          held.idleTimer = setTimeout(() => void this.unload(held), this.settings.idleUnloadMs);
          held.idleTimer.unref();
        }
      },
    };
  }

  private async load(path: string): Promise<Entry> {
    let fileBytes: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new OutcropError('ValidationException', `The model file ${path} is not a file.`);
      fileBytes = stat.size;
    } catch (error) {
      if (OutcropError.isInstance(error)) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      const problem = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (error as Error).message})`;
      throw new OutcropError('ValidationException', `The model file ${path} ${problem}. Check the model's upstreamModel, which names a GGUF file for the llama-cpp provider.`, {
        cause: error,
      });
    }
    // a file that is not GGUF never reaches the native loader, nor does one with bad tensors
    readGgufMetadata(path, []);
    const runtime = await this.settings.runtime();
    const info = await validateGgufFile(runtime.module, runtime.llama, path);
    // (RAM plus VRAM is about the same for any split, so `auto` is estimated as every layer)
    const gpuLayers = this.settings.gpuLayers ?? 'auto';
    const plannedGpuLayers = runtime.llama.gpu === false ? 0 : typeof gpuLayers === 'number' ? gpuLayers : Number.POSITIVE_INFINITY;
    let insights: GgufInsights;
    let bytes: number;
    try {
      insights = await runtime.module.GgufInsights.from(info, runtime.llama);
      bytes = await estimateModelBytes(insights, Math.min(plannedGpuLayers, insights.totalLayers));
    } catch (error) {
      throw mapLlamaCppLoadError(error, path);
    }
    const budget = this.settings.memoryBudgetBytes;
    if (bytes > budget) {
      throw new OutcropError(
        'ModelErrorException',
        `The model ${path} needs an estimated ${bytes} bytes of memory (file: ${fileBytes} bytes), more than the llama-cpp provider's memoryBudgetBytes (${budget}).`,
      );
    }
    await this.makeRoom(bytes, path);
    this.reservedBytes += bytes;
    let model: LlamaModel;
    try {
      model = await runtime.llama.loadModel({ modelPath: path, ...(runtime.llama.gpu === false ? {} : { gpuLayers }) });
    } catch (error) {
      throw OutcropError.isInstance(error) ? error : mapLlamaCppLoadError(error, path);
    } finally {
      this.reservedBytes -= bytes;
    }
    const entry: Entry = {
      path,
      // with the layers llama.cpp actually offloaded
      bytes: model.gpuLayers === 0 && plannedGpuLayers === 0 ? bytes : await estimateModelBytes(insights, model.gpuLayers).catch(() => bytes),
      model,
      runtime,
      active: 0,
      lastUsed: performance.now(),
      idleTimer: undefined,
      chatResources: undefined,
      embeddingResources: undefined,
      rankingResources: undefined,
      chat: () => {
        entry.chatResources ??= this.createChat(entry).catch((error: unknown) => {
          entry.chatResources = undefined;
          throw error;
        });
        return entry.chatResources;
      },
      embedding: () => {
        entry.embeddingResources ??= this.createEmbedding(entry).catch((error: unknown) => {
          entry.embeddingResources = undefined;
          throw error;
        });
        return entry.embeddingResources;
      },
      ranking: () => {
        entry.rankingResources ??= this.createRanking(entry).catch((error: unknown) => {
          entry.rankingResources = undefined;
          throw error;
        });
        return entry.rankingResources;
      },
    };
    this.entries.set(path, entry);
    return entry;
  }

  /** Unloads idle models, least recently used first, until `bytes` more fit in the budget. */
  private async makeRoom(bytes: number, path: string, forContextOf?: Entry): Promise<void> {
    if (forContextOf && forContextOf.bytes + bytes > this.settings.memoryBudgetBytes) {
      throw new OutcropError(
        'ModelErrorException',
        `The model ${path} with its context needs an estimated ${forContextOf.bytes + bytes} bytes of memory, more than the llama-cpp provider's memoryBudgetBytes (${this.settings.memoryBudgetBytes}); lower contextSize or parallelSequences.`,
      );
    }
    const used = () => [...this.entries.values()].reduce((sum, entry) => sum + entry.bytes, this.reservedBytes);
    while (used() + bytes > this.settings.memoryBudgetBytes) {
      const idle = [...this.entries.values()].filter((entry) => entry.active === 0).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (!idle) {
        throw new OutcropError(
          'ModelNotReadyException',
          `The model ${path} cannot be loaded now: the llama-cpp provider's memory budget is held by models serving requests. Retry shortly.`,
        );
      }
      await this.unload(idle);
    }
  }

  /**
   * Creates one of a model's contexts once its estimated memory fits the budget (unloading idle
   * models for it); the estimate stays counted while the model is resident.
   */
  private async withContextMemory<T>(
    entry: Entry,
    options: { contextSize: number; sequences: number; isEmbeddingContext: boolean; batchSize?: number },
    create: () => Promise<T>,
  ): Promise<T> {
    const bytes = await estimateContextBytes(entry.model.fileInsights, { ...options, modelGpuLayers: entry.model.gpuLayers });
    await this.makeRoom(bytes, entry.path, entry);
    entry.bytes += bytes;
    try {
      return await create();
    } catch (error) {
      entry.bytes -= bytes;
      throw mapLlamaCppLoadError(error, entry.path);
    }
  }

  private async createChat(entry: Entry): Promise<ChatResources> {
    const contextSize = this.settings.contextSize ?? Math.min(entry.model.trainContextSize || 4096, 4096);
    const sequences = this.settings.parallelSequences;
    const batchSize = this.settings.batchSize;
    const context: LlamaContext = await this.withContextMemory(entry, { contextSize, sequences, isEmbeddingContext: false, ...(batchSize === undefined ? {} : { batchSize }) }, () =>
      entry.model.createContext({
        contextSize,
        sequences,
        threads: this.settings.threads,
        ...(batchSize === undefined ? {} : { batchSize }),
      }),
    );
    return {
      queue: new SequenceQueue(
        Array.from({ length: sequences }, () => context.getSequence()),
        this.settings.maxQueue,
        entry.path,
      ),
      chatWrapper: resolveLlamaChatWrapper(entry.runtime.module, entry.model),
      contextSize: context.contextSize,
    };
  }

  private async createEmbedding(entry: Entry): Promise<EmbeddingResources> {
    const contextSize = this.settings.contextSize ?? Math.min(entry.model.trainContextSize || 512, 4096);
    const context = await this.withContextMemory(entry, { contextSize, sequences: 1, isEmbeddingContext: true }, () =>
      entry.model.createEmbeddingContext({ contextSize, threads: this.settings.threads }),
    );
    return { queue: new SequenceQueue([context], this.settings.maxQueue, entry.path) };
  }

  private async createRanking(entry: Entry): Promise<RankingResources> {
    if (!entry.model.fileInsights.supportsRanking) {
      throw new OutcropError('ValidationException', `The model ${entry.path} cannot rank documents: it has no classification head (a reranker GGUF such as bge-reranker has one).`);
    }
    const contextSize = this.settings.contextSize ?? Math.min(entry.model.trainContextSize || 512, 4096);
    const context = await this.withContextMemory(entry, { contextSize, sequences: 1, isEmbeddingContext: true }, () =>
      entry.model.createRankingContext({ contextSize, threads: this.settings.threads }),
    );
    return { queue: new SequenceQueue([context], this.settings.maxQueue, entry.path) };
  }

  private unload(entry: Entry): Promise<void> {
    if (this.entries.get(entry.path) !== entry || entry.active > 0) return Promise.resolve();
    clearTimeout(entry.idleTimer);
    this.entries.delete(entry.path);
    const done = entry.model
      .dispose()
      .catch(() => {})
      .finally(() => this.unloading.delete(entry.path));
    this.unloading.set(entry.path, done);
    return done;
  }

  /** Unloads every model; requests still running are cut off by the disposal. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.loading.values()]);
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) {
      clearTimeout(entry.idleTimer);
      const resources = await entry.chatResources?.catch(() => undefined);
      resources?.queue.rejectWaiting(new OutcropError('ServiceUnavailableException', 'The llama-cpp provider is shutting down.'));
    }
    await Promise.allSettled(entries.map((entry) => entry.model.dispose()));
    await Promise.allSettled([...this.unloading.values()]);
  }
}

/** RAM plus VRAM the weights take with `gpuLayers` layers offloaded (GgufInsights' estimate). */
async function estimateModelBytes(insights: GgufInsights, gpuLayers: number): Promise<number> {
  const { cpuRam, gpuVram } = await insights.estimateModelResourceRequirementsV2({ gpuLayers });
  return cpuRam + gpuVram;
}

/** RAM plus VRAM one context takes: its KV cache for every sequence, and compute buffers. */
async function estimateContextBytes(
  insights: GgufInsights,
  options: { contextSize: number; sequences: number; isEmbeddingContext: boolean; modelGpuLayers: number; batchSize?: number },
): Promise<number> {
  const { cpuRam, gpuVram } = await insights.estimateContextResourceRequirementsV2(options);
  return cpuRam + gpuVram;
}
