import type { ChatWrapper, LlamaModel } from 'node-llama-cpp';
import type { NodeLlamaCpp } from './llama-cpp-runtime.js';

/**
 * The chat wrapper for a model, as node-llama-cpp resolves it from the GGUF's `tokenizer.chat_template`
 * (a specialized wrapper when it renders the same text as the template, else the Jinja template
 * itself), with one correction: specialized wrappers always start with the BOS token, but a model
 * whose GGUF says `add_bos_token: false` (SmolLM2, Qwen2, ...) must not get one, exactly as llama.cpp
 * renders the template. So the prompt tokens are those of the GGUF's own template.
 *
 * @example
 * const chatWrapper = resolveLlamaChatWrapper(module, model);
 */
export function resolveLlamaChatWrapper(module: NodeLlamaCpp, model: LlamaModel): ChatWrapper {
  const wrapper = module.resolveChatWrapper(model);
  if (model.tokens.shouldPrependBosToken) return wrapper;
  const corrected = Object.create(wrapper) as ChatWrapper;
  corrected.generateContextState = (options) => {
    const state = wrapper.generateContextState(options);
    const [first, ...rest] = state.contextText.values;
    if (first instanceof module.SpecialToken && first.value === 'BOS') return { ...state, contextText: module.LlamaText(rest) };
    return state;
  };
  return corrected;
}
