import type { Llama } from 'node-llama-cpp';
import { OutcropError } from '../../core/errors.js';

/**
 * `auto`: node-llama-cpp's own choice, Metal on Apple Silicon, else CUDA or Vulkan where the GPU, its
 * driver and the prebuilt binary (`@node-llama-cpp/linux-x64-cuda`, `-vulkan`, ...) are present,
 * else the CPU; `false`: the CPU.
 */
export type LlamaGpuOption = 'auto' | 'cuda' | 'vulkan' | 'metal' | false;

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
 * With `gpu: 'auto'` node-llama-cpp picks the GPU (and falls back to the CPU when no GPU binary
 * loads); a named GPU that fails to load is an error that says which package is missing.
 *
 * @example
 * const { llama } = await loadLlamaRuntime({ gpu: 'auto', maxThreads: 4 });
 * llama.gpu; // 'cuda', 'vulkan', 'metal' or false
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
  const gpu = options.gpu;
  try {
    return { module, llama: await module.getLlama({ ...base, gpu }) };
  } catch (error) {
    throw new OutcropError(
      'ModelErrorException',
      `node-llama-cpp could not load a prebuilt llama.cpp binary for gpu: ${gpu === false ? 'false' : gpu} (${(error as Error).message}). Install ${gpuPackage(gpu)} or set gpu: false.`,
      { cause: error },
    );
  }
}

/** The npm package with node-llama-cpp's prebuilt binary for a GPU choice on this platform (its naming: linux, win, mac). */
function gpuPackage(gpu: LlamaGpuOption): string {
  const platform = ({ linux: 'linux', win32: 'win', darwin: 'mac' } as Record<string, string>)[process.platform] ?? process.platform;
  if (gpu === 'metal') return '@node-llama-cpp/mac-arm64-metal';
  if (gpu === 'cuda' || gpu === 'vulkan') return `@node-llama-cpp/${platform}-${process.arch}-${gpu}`;
  return `the matching @node-llama-cpp/${platform}-${process.arch}* package`;
}
