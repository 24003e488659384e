import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { string, writeGguf } from '../../../scripts/gguf/write-gguf.js';
import { makeTestGguf } from '../../../scripts/make-test-gguf.js';
import { startsWithinTurn } from '../../../test/support/decode-schedule-probe.js';
import { LlamaModelPool, type LlamaModelPoolSettings } from './llama-cpp-model-pool.js';
import { type LlamaRuntime, loadLlamaRuntime } from './llama-cpp-runtime.js';

const llama = makeTestGguf('llama');
const qwen2 = makeTestGguf('qwen2');
const both = statSync(llama).size + statSync(qwen2).size;
/** GgufInsights' estimates: each model's weights, and qwen2's chat context of 512 tokens, 1 sequence */
const estimates = { llama: 0, qwen2: 0, qwen2Context: 0 };
let runtime: LlamaRuntime;
let loads = 0;
let directory: string;
const pools: LlamaModelPool[] = [];

function pool(settings: Partial<LlamaModelPoolSettings> = {}): LlamaModelPool {
  const counted: LlamaRuntime = {
    module: runtime.module,
    llama: new Proxy(runtime.llama, {
      get(target, key, receiver) {
        if (key === 'loadModel') {
          return (...args: Parameters<typeof target.loadModel>) => {
            loads++;
            return target.loadModel(...args);
          };
        }
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }),
  };
  const created = new LlamaModelPool({
    runtime: async () => counted,
    contextSize: 512,
    parallelSequences: 1,
    maxQueue: 4,
    threads: 1,
    idleUnloadMs: 0,
    memoryBudgetBytes: both * 100,
    ...settings,
  });
  pools.push(created);
  return created;
}

before(async () => {
  runtime = await loadLlamaRuntime({ gpu: false, maxThreads: 2 });
  directory = mkdtempSync(join(tmpdir(), 'outcrop-pool-'));
  const insights = async (path: string) => runtime.module.GgufInsights.from(await runtime.module.readGgufFileInfo(path, { logWarnings: false }), runtime.llama);
  const sum = ({ cpuRam, gpuVram }: { cpuRam: number; gpuVram: number }) => cpuRam + gpuVram;
  estimates.llama = sum(await (await insights(llama)).estimateModelResourceRequirementsV2({ gpuLayers: 0 }));
  const qwen2Insights = await insights(qwen2);
  estimates.qwen2 = sum(await qwen2Insights.estimateModelResourceRequirementsV2({ gpuLayers: 0 }));
  estimates.qwen2Context = sum(await qwen2Insights.estimateContextResourceRequirementsV2({ contextSize: 512, sequences: 1, modelGpuLayers: 0 }));
});
after(async () => {
  await Promise.all(pools.map((created) => created.close()));
  await runtime.llama.dispose();
  rmSync(directory, { recursive: true, force: true });
});

describe('LlamaModelPool', () => {
  it('loads a model once for concurrent requests and keeps it while in use', async () => {
    const models = pool();
    loads = 0;
    const handles = await Promise.all([models.acquire(llama), models.acquire(llama), models.acquire(llama)]);
    assert.equal(loads, 1);
    assert.equal(handles[0]?.resident, handles[2]?.resident);
    for (const handle of handles) handle.release();
    assert.deepEqual(models.residentPaths(), [llama]);
  });

  it("counts each model's memory as GgufInsights estimates it: the weights, then each context it creates", async () => {
    const models = pool();
    const handle = await models.acquire(qwen2);
    assert.equal(handle.resident.bytes, estimates.qwen2);
    assert.notEqual(handle.resident.bytes, statSync(qwen2).size, 'not the file size');
    await handle.resident.chat();
    assert.equal(handle.resident.bytes, estimates.qwen2 + estimates.qwen2Context);
    handle.release();
  });

  it('creates the chat context with the configured batchSize, and counts its memory at that batch size', async () => {
    const models = pool({ batchSize: 64 });
    const handle = await models.acquire(qwen2);
    const { queue } = await handle.resident.chat();
    const lease = await queue.acquire();
    assert.equal(lease.slot.context.batchSize, 64);
    const insights = await runtime.module.GgufInsights.from(await runtime.module.readGgufFileInfo(qwen2, { logWarnings: false }), runtime.llama);
    const { cpuRam, gpuVram } = await insights.estimateContextResourceRequirementsV2({ contextSize: 512, sequences: 1, modelGpuLayers: 0, batchSize: 64 });
    assert.notEqual(cpuRam + gpuVram, estimates.qwen2Context, 'the batch size changes the estimate');
    assert.equal(handle.resident.bytes, estimates.qwen2 + cpuRam + gpuVram);
    lease.release();
    handle.release();
  });

  it("lets a lone request's decode start at once only while no other request holds one of the context's sequences", async () => {
    const models = pool({ parallelSequences: 2 });
    const handle = await models.acquire(qwen2);
    const { queue, decodeSchedule } = await handle.resident.chat();
    const first = await queue.acquire();
    assert.equal(await startsWithinTurn(decodeSchedule, 1), true);
    const second = await queue.acquire();
    assert.equal(await startsWithinTurn(decodeSchedule, 1), false);
    second.release();
    assert.equal(await startsWithinTurn(decodeSchedule, 1), true);
    first.release();
    handle.release();
  });

  it('unloads the least recently used idle model when the next one would pass the budget', async () => {
    const models = pool({ memoryBudgetBytes: estimates.llama + estimates.qwen2 - 1 });
    (await models.acquire(llama)).release();
    (await models.acquire(qwen2)).release();
    assert.deepEqual(models.residentPaths(), [qwen2]);
    (await models.acquire(llama)).release();
    assert.deepEqual(models.residentPaths(), [llama]);
  });

  it("unloads an idle model to make room for another model's context", async () => {
    const models = pool({ memoryBudgetBytes: estimates.llama + estimates.qwen2 + estimates.qwen2Context - 1 });
    (await models.acquire(llama)).release();
    const handle = await models.acquire(qwen2);
    assert.deepEqual(models.residentPaths(), [llama, qwen2], 'both sets of weights fit');
    await handle.resident.chat();
    assert.deepEqual(models.residentPaths(), [qwen2], "qwen2's context needed llama's room");
    handle.release();
  });

  it('refuses to load past the budget while every resident model is busy', async () => {
    const models = pool({ memoryBudgetBytes: estimates.llama + estimates.qwen2 - 1 });
    const busy = await models.acquire(llama);
    await assert.rejects(models.acquire(qwen2), (error: Error & { isRetryable?: boolean }) => {
      assert.equal(error.name, 'ModelNotReadyException');
      assert.equal(error.isRetryable, true);
      return true;
    });
    busy.release();
    (await models.acquire(qwen2)).release();
  });

  it('refuses a model larger than the whole budget, and a context that cannot fit beside its model', async () => {
    await assert.rejects(pool({ memoryBudgetBytes: 1_000_000 }).acquire(llama), {
      name: 'ModelErrorException',
      message: /needs an estimated \d+ bytes of memory \(file: \d+ bytes\), more than the llama-cpp provider's memoryBudgetBytes \(1000000\)/,
    });
    const handle = await pool({ memoryBudgetBytes: estimates.qwen2 + 1000 }).acquire(qwen2);
    await assert.rejects(handle.resident.chat(), { name: 'ModelErrorException', message: /with its context needs an estimated \d+ bytes .* lower contextSize or parallelSequences/ });
    handle.release();
  });

  it('unloads a model left idle for idleUnloadMs', async () => {
    const models = pool({ idleUnloadMs: 30 });
    const handle = await models.acquire(qwen2);
    await sleep(80);
    assert.deepEqual(models.residentPaths(), [qwen2], 'never while in use');
    handle.release();
    await sleep(150);
    assert.deepEqual(models.residentPaths(), []);
  });

  it('reports missing files, non-GGUF files and unloadable models as Bedrock errors', async () => {
    const models = pool();
    await assert.rejects(models.acquire(join(directory, 'absent.gguf')), { name: 'ValidationException', message: /absent\.gguf does not exist/ });
    await assert.rejects(models.acquire(directory), { name: 'ValidationException', message: /is not a file/ });
    const unknown = join(directory, 'unknown-arch.gguf');
    writeGguf(unknown, { metadata: [['general.architecture', string('outcrop-no-such-architecture')]], tensors: [] });
    await assert.rejects(models.acquire(unknown), { name: 'ModelErrorException', message: /llama\.cpp could not load the model/ });
    const truncated = join(directory, 'truncated.gguf');
    writeFileSync(truncated, readFileSync(qwen2).subarray(0, statSync(qwen2).size - 100_000));
    await assert.rejects(models.acquire(truncated), { name: 'ModelErrorException', message: /truncated\.gguf is corrupt or incomplete: tensor '[^']+' needs bytes/ });
    assert.deepEqual(models.residentPaths(), []);
  });
});
