import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatHistoryItem, ChatWrapper, LlamaModel } from 'node-llama-cpp';
import { makeTestGguf } from '../../../scripts/make-test-gguf.js';
import { memoizeContextState } from './context-state-memo.js';
import { type LlamaRuntime, loadLlamaRuntime } from './llama-cpp-runtime.js';
import { resolveLlamaChatWrapper } from './resolve-llama-chat-wrapper.js';

const chat = (text: string): ChatHistoryItem[] => [
  { type: 'system', text: 'You are a geologist.' },
  { type: 'user', text },
  { type: 'model', response: [] },
];
const functions = { get_rock_hardness: { description: 'Hardness of a rock', params: { type: 'object', properties: { rock: { type: 'string' } } } } } as const;

/** The wrapper, with a count of the renderings it does itself. */
function counted(wrapper: ChatWrapper): { wrapper: ChatWrapper; renders: () => number } {
  let renders = 0;
  const spy = Object.create(wrapper) as ChatWrapper;
  spy.generateContextState = (options) => {
    renders++;
    return wrapper.generateContextState(options);
  };
  return { wrapper: spy, renders: () => renders };
}

describe('memoizeContextState', () => {
  let runtime: LlamaRuntime;
  const models: LlamaModel[] = [];
  before(async () => {
    runtime = await loadLlamaRuntime({ gpu: false, maxThreads: 1 });
    for (const preset of ['llama', 'qwen2'] as const) models.push(await runtime.llama.loadModel({ modelPath: makeTestGguf(preset) }));
  });
  after(async () => {
    for (const model of models) await model.dispose();
    await runtime.llama.dispose();
  });

  it("renders what the GGUF's own chat template renders, once per history", () => {
    for (const model of models) {
      const plain = resolveLlamaChatWrapper(runtime.module, model);
      const { wrapper, renders } = counted(plain);
      const memoized = memoizeContextState(wrapper);
      for (const options of [{ chatHistory: chat('What is granite?') }, { chatHistory: chat('What is basalt?'), availableFunctions: functions, documentFunctionParams: true }]) {
        const expected = plain.generateContextState(options).contextText.toJSON();
        const before = renders();
        assert.deepEqual(memoized.generateContextState(options).contextText.toJSON(), expected);
        // the same history again, as a new object (LlamaChat builds its own)
        assert.deepEqual(memoized.generateContextState(structuredClone(options)).contextText.toJSON(), expected);
        assert.equal(renders() - before, 1, 'the second rendering comes from the memo');
      }
      assert.equal(memoized.wrapperName, plain.wrapperName);
    }
  });

  it('tells apart what changes the rendering: the history, the functions and their documentation', () => {
    const { wrapper, renders } = counted(resolveLlamaChatWrapper(runtime.module, models[1] as LlamaModel));
    const memoized = memoizeContextState(wrapper);
    const texts = [
      memoized.generateContextState({ chatHistory: chat('Granite?') }),
      memoized.generateContextState({ chatHistory: chat('Basalt?') }),
      memoized.generateContextState({ chatHistory: chat('Granite?'), availableFunctions: functions }),
      memoized.generateContextState({ chatHistory: chat('Granite?'), availableFunctions: functions, documentFunctionParams: true }),
    ].map((state) => JSON.stringify(state.contextText.toJSON()));
    assert.equal(renders(), 4, 'each is rendered by the template');
    assert.notEqual(texts[0], texts[1]);
    assert.notEqual(texts[0], texts[2]);
  });

  it('keeps the most recently used renderings, and returns a copy of the state each time', () => {
    const { wrapper, renders } = counted(resolveLlamaChatWrapper(runtime.module, models[0] as LlamaModel));
    const memoized = memoizeContextState(wrapper, 2);
    const first = memoized.generateContextState({ chatHistory: chat('one') });
    memoized.generateContextState({ chatHistory: chat('two') });
    memoized.generateContextState({ chatHistory: chat('one') });
    memoized.generateContextState({ chatHistory: chat('three') });
    assert.equal(renders(), 3);
    // 'two' was the least recently used
    memoized.generateContextState({ chatHistory: chat('two') });
    assert.equal(renders(), 4);
    const again = memoized.generateContextState({ chatHistory: chat('one') });
    assert.notEqual(again, first);
    assert.deepEqual(again.contextText.toJSON(), first.contextText.toJSON());
  });
});
