/**
 * Counts tokens the way chunk sizes are measured. Bedrock does not publish the tokenizer its
 * chunking uses; Outcrop counts with OpenAI's `cl100k_base` BPE (through `js-tiktoken`, pure
 * JavaScript), which for English prose is within a few percent of the Titan and Cohere tokenizers,
 * so `maxTokens: 300` gives chunks of the size a Bedrock user expects.
 */
export interface TokenCounter {
  /** which tokenizer, for logs and for knowing when stored chunk sizes are comparable */
  readonly name: string;
  count(text: string): number;
}

let loading: Promise<TokenCounter> | undefined;

/**
 * Loads the `cl100k_base` counter once (its merge table takes about 250 ms to load; nothing is
 * loaded at import time).
 *
 * @example
 * const counter = await loadTokenCounter();
 * counter.count('Granite is an igneous rock.') // 8
 */
export function loadTokenCounter(): Promise<TokenCounter> {
  loading ??= (async () => {
    const [{ Tiktoken }, ranks] = await Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/cl100k_base')]);
    const encoding = new Tiktoken(ranks.default);
    return { name: 'cl100k_base', count: (text: string) => encoding.encode(text, 'all').length };
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Wraps a counter with a cache of the short pieces chunkers count one by one (words with their
 * leading space repeat a lot), cleared when it reaches `limit` entries.
 *
 * @example
 * const counter = cachedTokenCounter(await loadTokenCounter());
 */
export function cachedTokenCounter(counter: TokenCounter, limit = 50_000): TokenCounter {
  const cache = new Map<string, number>();
  return {
    name: counter.name,
    count(text) {
      if (text.length > 64) return counter.count(text);
      let count = cache.get(text);
      if (count === undefined) {
        if (cache.size >= limit) cache.clear();
        count = counter.count(text);
        cache.set(text, count);
      }
      return count;
    },
  };
}
