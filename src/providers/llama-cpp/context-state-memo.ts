import type { ChatWrapper } from 'node-llama-cpp';

type GenerateContextState = ChatWrapper['generateContextState'];

/**
 * Remembers a chat wrapper's latest renderings, so a request's prompt is rendered once: the chat model
 * renders the history with the GGUF's chat template to count its tokens and pick a sequence, and
 * node-llama-cpp's LlamaChat renders the same history again when it builds its context window (a
 * Jinja template takes about 0.3 ms for a short chat). The key is the options as JSON (the history,
 * the functions offered and whether their parameters are documented: all the rendering reads besides
 * the wrapper's own settings); the `maxEntries` most recently used are kept, and each hit returns a
 * copy of the state object. Options that cannot be written as JSON are rendered every time.
 *
 * @example
 * const chatWrapper = memoizeContextState(resolveLlamaChatWrapper(module, model));
 * chatWrapper.generateContextState({ chatHistory }); // rendered
 * chatWrapper.generateContextState({ chatHistory }); // from the memo
 */
export function memoizeContextState(wrapper: ChatWrapper, maxEntries = 32): ChatWrapper {
  const entries = new Map<string, ReturnType<GenerateContextState>>();
  const memoized = Object.create(wrapper) as ChatWrapper;
  memoized.generateContextState = (options) => {
    let key: string | undefined;
    try {
      key = JSON.stringify(options);
    } catch {
      key = undefined;
    }
    const hit = key === undefined ? undefined : entries.get(key);
    if (key !== undefined && hit) {
      entries.delete(key);
      entries.set(key, hit);
      return { ...hit };
    }
    const state = wrapper.generateContextState(options);
    if (key !== undefined) {
      entries.set(key, state);
      for (const [oldest] of entries) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    }
    return { ...state };
  };
  return memoized;
}
