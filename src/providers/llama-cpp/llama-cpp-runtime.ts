import type { Llama } from 'node-llama-cpp';
import { OutcropError } from '../../core/errors.js';

/** `auto`: a GPU build only when the machine has a supported GPU and its prebuilt binary is installed. */
export type LlamaGpuOption = 'auto' | 'cuda' | 'vulkan' | false;

export type NodeLlamaCpp = typeof import('node-llama-cpp');

/** node-llama-cpp's module and its loaded native binding. */
export interface LlamaRuntime {
  module: NodeLlamaCpp;
  llama: Llama;
}

export interface LlamaRuntimeOptions {
  gpu: LlamaGpuOption;
  /** the most threads llama.cpp may use */
  maxThreads: number;
}

/**
 * Imports node-llama-cpp (on first use only, so the server starts and every other provider works
 * without the native package) and loads a prebuilt binary. It never compiles llama.cpp at runtime.
 * With `gpu: 'auto'` the CPU build is used unless node-llama-cpp detects a usable GPU, and a GPU
 * build that fails to load falls back to the CPU.
 *
 * @example
 * const { llama } = await loadLlamaRuntime({ gpu: 'auto', maxThreads: 4 });
 */
export async function loadLlamaRuntime(options: LlamaRuntimeOptions): Promise<LlamaRuntime> {
  let module: NodeLlamaCpp;
  try {
    module = await import('node-llama-cpp');
  } catch (error) {
    throw new OutcropError(
      'ModelErrorException',
      'The llama-cpp provider needs the node-llama-cpp package, which is not installed. Install it with `npm install node-llama-cpp @node-llama-cpp/linux-x64` (or the build for your platform).',
      { cause: error },
    );
  }
  const base = { build: 'never', skipDownload: true, progressLogs: false, maxThreads: options.maxThreads, logLevel: module.LlamaLogLevel.error } as const;
  let gpu = options.gpu;
  if (gpu === 'auto') {
    const supported = await module.getLlamaGpuTypes('supported').catch(() => [false] as const);
    gpu = (supported.find((type) => type === 'cuda' || type === 'vulkan') as LlamaGpuOption | undefined) ?? false;
  }
  try {
    return { module, llama: await module.getLlama({ ...base, gpu }) };
  } catch (error) {
    if (gpu !== false && options.gpu === 'auto') {
      try {
        return { module, llama: await module.getLlama({ ...base, gpu: false }) };
      } catch {
        // report the first failure below
      }
    }
    throw new OutcropError(
      'ModelErrorException',
      `node-llama-cpp could not load a prebuilt llama.cpp binary for gpu: ${gpu === false ? 'false' : gpu} (${(error as Error).message}). Install the matching @node-llama-cpp/* package or set gpu: false.`,
      { cause: error },
    );
  }
}
