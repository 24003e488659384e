import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { makeTestGguf } from '../../../scripts/make-test-gguf.js';
import type { CallOptions, LanguageModel, StreamPart } from '../../core/inference/language-model.js';
import { LlamaCppChatModel } from './llama-cpp-chat-model.js';
import { LlamaModelPool } from './llama-cpp-model-pool.js';
import { createLlamaCppProvider } from './llama-cpp-provider.js';
import { loadLlamaRuntime } from './llama-cpp-runtime.js';

const capabilities = { images: false, documents: false, tools: true, systemPrompt: true };
const provider = createLlamaCppProvider({ name: 'local', gpu: false, threads: 1, parallelSequences: 1, contextSize: 1024, idleUnloadMs: 0 });
const model: LanguageModel = provider.languageModel?.(makeTestGguf('qwen2'), capabilities) as LanguageModel;
const prompt: CallOptions['prompt'] = [
  { role: 'system', content: [{ type: 'text', text: 'You are a geologist.' }] },
  { role: 'user', content: [{ type: 'text', text: 'What is granite?' }] },
];

after(() => provider.close());

async function readAll(stream: ReadableStream<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe('LlamaCppChatModel', () => {
  it('reports the prompt tokens CountTokens counts and every generated token', async () => {
    const result = await model.generate({ prompt, maxOutputTokens: 7, temperature: 0 });
    assert.equal(result.usage.inputTokens, await model.countTokens({ prompt }));
    assert.ok(result.usage.outputTokens > 0 && result.usage.outputTokens <= 7);
    if (result.finishReason === 'length') assert.equal(result.usage.outputTokens, 7);
    else assert.equal(result.finishReason, 'stop');
    assert.equal(result.content[0]?.type, 'text');
  });

  it('streams stream-start, one text block and a finish', async () => {
    const { stream } = await model.stream({ prompt, maxOutputTokens: 5, temperature: 0.9, topK: 20, topP: 0.8 });
    const types = (await readAll(stream)).map((part) => part.type);
    assert.equal(types[0], 'stream-start');
    assert.equal(types.at(-1), 'finish');
    assert.equal(types.filter((type) => type === 'text-start').length, 1);
    assert.equal(types.at(-2), 'text-end');
  });

  it('is reproducible with a seed (additionalModelRequestFields), and warns about fields it ignores', async () => {
    const options = { prompt, maxOutputTokens: 12, temperature: 1.2, extraBody: { seed: 42, min_p: 0, frobnicate: true } };
    const first = await model.generate(options);
    const second = await model.generate(options);
    assert.deepEqual(first.content, second.content);
    assert.deepEqual(first.warnings, [{ setting: 'additionalModelRequestFields.frobnicate', details: 'not supported by the llama-cpp provider; ignored' }]);
  });

  it('forces a tool call, and reports an input cut off by maxTokens as length with {} input', async () => {
    const tools = [
      { name: 'a', inputSchema: { type: 'object', properties: { x: { type: 'boolean' } } } },
      { name: 'b', inputSchema: { type: 'object', properties: { y: { enum: ['p', 'q'] } } } },
    ];
    const forced = await model.generate({ prompt, tools, toolChoice: { type: 'required' }, maxOutputTokens: 100, temperature: 0.8 });
    assert.equal(forced.finishReason, 'tool-calls');
    const call = forced.content.find((part) => part.type === 'tool-call');
    assert.ok(call?.type === 'tool-call' && ['a', 'b'].includes(call.toolName));
    assert.deepEqual(Object.keys(call.input as object), [call.toolName === 'a' ? 'x' : 'y']);
    const cut = await model.generate({ prompt, tools, toolChoice: { type: 'tool', toolName: 'b' }, maxOutputTokens: 2, temperature: 0 });
    assert.equal(cut.finishReason, 'length');
    assert.deepEqual(cut.content, [{ type: 'tool-call', toolCallId: (cut.content[0] as { toolCallId: string }).toolCallId, toolName: 'b', input: {} }]);
  });

  it('stops on abort and frees the sequence for the next request', async () => {
    const abort = new AbortController();
    const { stream } = await model.stream({ prompt, maxOutputTokens: 900, temperature: 0, abortSignal: abort.signal });
    const reader = stream.getReader();
    let deltas = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.type === 'text-delta' && ++deltas === 3) abort.abort(new Error('client left'));
      assert.notEqual(value.type, 'finish', 'an aborted generation does not finish');
    }
    const started = performance.now();
    const next = await model.generate({ prompt, maxOutputTokens: 2, temperature: 0 });
    assert.ok(next.usage.outputTokens > 0);
    assert.ok(performance.now() - started < 2000);
  });

  it('cancelling the stream also stops the generation', async () => {
    const { stream } = await model.stream({ prompt, maxOutputTokens: 900, temperature: 0 });
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    const next = await model.generate({ prompt, maxOutputTokens: 2, temperature: 0 });
    assert.ok(next.usage.outputTokens > 0);
  });

  it('refuses a prompt longer than the context, and a GGUF file that does not exist', async () => {
    const long: CallOptions['prompt'] = [{ role: 'user', content: [{ type: 'text', text: 'granite basalt '.repeat(800) }] }];
    await assert.rejects(model.generate({ prompt: long }), { name: 'ValidationException', message: /more than this model's context of 1024 tokens/ });
    const missing = provider.languageModel?.('/nonexistent/model.gguf', capabilities) as LanguageModel;
    await assert.rejects(missing.generate({ prompt }), { name: 'ValidationException', message: /does not exist/ });
  });
});

describe('LlamaCppChatModel sequence choice', () => {
  it("continues a conversation on the sequence that holds its earlier turns, evaluating only the new tokens", async () => {
    const runtime = loadLlamaRuntime({ gpu: false, maxThreads: 2 });
    const pool = new LlamaModelPool({ runtime: () => runtime, contextSize: 1024, parallelSequences: 3, maxQueue: 4, threads: 1, idleUnloadMs: 0, memoryBudgetBytes: 2 ** 40 });
    const path = makeTestGguf('qwen2');
    const chat = new LlamaCppChatModel(path, { name: 'local', capabilities, pool });
    const handle = await pool.acquire(path);
    try {
      const { queue } = await handle.resident.chat();
      const leases = await Promise.all([queue.acquire(), queue.acquire(), queue.acquire()]);
      const all = leases.map((lease) => lease.slot);
      for (const lease of leases) lease.release();
      const evaluated = () => all.map((sequence) => sequence.tokenMeter.usedInputTokens);
      const first = await chat.generate({ prompt, maxOutputTokens: 4, temperature: 0 });
      await chat.generate({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'Something else entirely: how do rivers carve canyons?' }] }], maxOutputTokens: 4, temperature: 0 });
      const before = evaluated();
      const reply = first.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
      const followUp: CallOptions['prompt'] = [...prompt, { role: 'assistant', content: [{ type: 'text', text: reply }] }, { role: 'user', content: [{ type: 'text', text: 'And basalt?' }] }];
      const next = await chat.generate({ prompt: followUp, maxOutputTokens: 4, temperature: 0 });
      const used = evaluated().map((tokens, index) => tokens - (before[index] ?? 0));
      const busy = used.filter((tokens) => tokens > 0);
      assert.equal(busy.length, 1, 'one sequence served the follow-up');
      assert.ok((busy[0] ?? 0) < next.usage.inputTokens / 2, `evaluated ${busy[0]} of ${next.usage.inputTokens} prompt tokens`);
    } finally {
      handle.release();
      await pool.close();
      await (await runtime).llama.dispose();
    }
  });
});

describe('LlamaCppChatModel reasoning effort', () => {
  it('gives LlamaChat a thought-token budget for a reasoning effort, on generate and on stream, and none without one', async () => {
    const real = await loadLlamaRuntime({ gpu: false, maxThreads: 2 });
    const budgets: unknown[] = [];
    const Base = real.module.LlamaChat;
    const original = Base.prototype.generateResponse;
    class RecordingChat extends Base {}
    RecordingChat.prototype.generateResponse = function (this: InstanceType<typeof Base>, ...args: Parameters<typeof original>) {
      budgets.push(args[1]?.budgets);
      return original.apply(this, args);
    } as typeof original;
    const module = new Proxy(real.module, { get: (target, key, receiver) => (key === 'LlamaChat' ? RecordingChat : Reflect.get(target, key, receiver)) });
    const pool = new LlamaModelPool({ runtime: async () => ({ ...real, module }), contextSize: 1024, parallelSequences: 1, maxQueue: 4, threads: 1, idleUnloadMs: 0, memoryBudgetBytes: 2 ** 40 });
    const chat = new LlamaCppChatModel(makeTestGguf('qwen2'), { name: 'local', capabilities, pool });
    try {
      await chat.generate({ prompt, maxOutputTokens: 16, temperature: 0, reasoningEffort: 'medium' });
      const { stream } = await chat.stream({ prompt, maxOutputTokens: 16, temperature: 0, reasoningEffort: 'max' });
      await readAll(stream);
      await chat.generate({ prompt, maxOutputTokens: 16, temperature: 0 });
      assert.deepEqual(budgets, [{ thoughtTokens: 4 }, { thoughtTokens: Number.POSITIVE_INFINITY }, undefined]);
    } finally {
      await pool.close();
      await real.llama.dispose();
    }
  });
});
