import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { OutcropError } from '../../core/errors.js';
import { loadLlamaRuntime } from './llama-cpp-runtime.js';

/** how node-llama-cpp names platforms in its package names */
const platform = process.platform === 'win32' ? 'win' : process.platform === 'darwin' ? 'mac' : 'linux';

/** node-llama-cpp's prebuilt GPU binaries installed beside it (none on a CPU-only machine). */
function installedGpuBinaries(): string[] {
  const entry = fileURLToPath(import.meta.resolve('node-llama-cpp'));
  const root = join(entry.slice(0, entry.lastIndexOf(`${sep}node-llama-cpp${sep}`)), '@node-llama-cpp');
  return ['cuda', 'vulkan', 'metal'].filter((gpu) => existsSync(join(root, gpu === 'metal' ? 'mac-arm64-metal' : `${platform}-${process.arch}-${gpu}`)));
}

describe('loadLlamaRuntime', () => {
  it("gpu: 'auto' picks a GPU whose binary is installed, else the CPU", async () => {
    const { llama } = await loadLlamaRuntime({ gpu: 'auto', maxThreads: 1 });
    const installed = installedGpuBinaries();
    if (installed.length === 0) assert.equal(llama.gpu, false);
    else assert.ok(llama.gpu === false || installed.includes(llama.gpu), `got ${String(llama.gpu)}, installed: ${installed.join(', ')}`);
  });

  it('a named GPU whose binary is not installed is a ModelErrorException naming the package to install', async (t) => {
    if (installedGpuBinaries().includes('cuda')) {
      t.skip('the CUDA binary is installed here');
      return;
    }
    await assert.rejects(loadLlamaRuntime({ gpu: 'cuda', maxThreads: 1 }), (error: unknown) => {
      assert.ok(OutcropError.isInstance(error));
      assert.equal(error.name, 'ModelErrorException');
      assert.match(error.message, /gpu: cuda/);
      assert.match(error.message, new RegExp(`Install @node-llama-cpp/${platform}-${process.arch}-cuda or set gpu: false`));
      return true;
    });
  });

  it('gpu: false runs on the CPU', async () => {
    const { llama } = await loadLlamaRuntime({ gpu: false, maxThreads: 1 });
    assert.equal(llama.gpu, false);
  });
});
