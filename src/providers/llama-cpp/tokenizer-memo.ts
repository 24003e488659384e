import type { LlamaModel, Token, Tokenizer } from 'node-llama-cpp';

/** How much text the memo holds at most, in UTF-16 code units over all its entries. */
const defaultMaxChars = 1 << 20;

/**
 * Remembers a model's latest tokenizations, so the same text is tokenized once per request: the chat
 * model renders and tokenizes a prompt before generating (to check it fits the context, pick the
 * sequence that holds most of it and count its tokens), and node-llama-cpp's LlamaChat renders and
 * tokenizes the same prompt again when it builds its context window. Entries are evicted least
 * recently used first once their text passes `maxChars`; each hit returns a copy, so a caller that
 * changes its array changes no one else's.
 *
 * node-llama-cpp reads the tokenizer from the model instance (`model.tokenize`, `model.tokenizer`),
 * so the memo is installed there, once per loaded model.
 *
 * @example
 * const model = await llama.loadModel({ modelPath });
 * memoizeTokenizer(model);
 * model.tokenize('hello'); // tokenized
 * model.tokenize('hello'); // from the memo
 */
export function memoizeTokenizer(model: LlamaModel, maxChars = defaultMaxChars): void {
  const original = model.tokenizer;
  const entries = new Map<string, readonly Token[]>();
  let chars = 0;
  const tokenize = ((text: string, specialTokens?: boolean | 'builtin', options?: 'trimLeadingSpace'): Token[] => {
    // the flags are short and never contain the separator, so they cannot run into the text
    const key = `${String(specialTokens)}\u0000${String(options)}\u0000${text}`;
    const hit = entries.get(key);
    // (a disposed model's own tokenizer throws)
    if (hit && !model.disposed) {
      entries.delete(key);
      entries.set(key, hit);
      return hit.slice();
    }
    const tokens = (original as (text: string, specialTokens?: boolean | 'builtin', options?: 'trimLeadingSpace') => Token[])(text, specialTokens, options);
    if (key.length <= maxChars) {
      entries.set(key, tokens.slice());
      chars += key.length;
      for (const [oldest] of entries) {
        if (chars <= maxChars) break;
        entries.delete(oldest);
        chars -= oldest.length;
      }
    }
    return tokens;
  }) as Tokenizer;
  Object.assign(tokenize, { detokenize: original.detokenize, isSpecialToken: original.isSpecialToken, isEogToken: original.isEogToken });
  Object.freeze(tokenize);
  const target = model as unknown as { tokenize: Tokenizer; tokenizer: Tokenizer };
  target.tokenize = tokenize;
  target.tokenizer = tokenize;
}
