import type { LlamaContextSequence, Token } from 'node-llama-cpp';

/** What one watcher does around one `evaluate` iteration of a sequence. */
export interface EvaluateHooks {
  /** the iterator produced a token; the consumer is handling it */
  token?(token: Token): void;
  /** the consumer asks for the next token, and the next decode evaluates `decoding`; may hold it back */
  next?(decoding: Token[]): void | Promise<void>;
  /** the iteration ended (finished, or returned by the consumer) */
  end?(): void;
}

/** Starts one iteration's hooks, given the tokens `evaluate` was called with (a prompt, or tokens given at once). */
export type EvaluateWatcher = (tokens: Token[]) => EvaluateHooks;

type TokenIterator = AsyncGenerator<Token, void, Token | Token[] | undefined>;
type Evaluate = LlamaContextSequence['evaluate'];

const installed = new WeakMap<LlamaContextSequence, { original: Evaluate; watchers: Set<EvaluateWatcher> }>();

/**
 * Watches a sequence's generation through its `evaluate` iterator, which node-llama-cpp's LlamaChat
 * drives token by token: node-llama-cpp offers no per-step hook that knows the token being decoded
 * or can hold a step back. The sequence is leased to one request, so the method is replaced on that
 * instance only, once however many watchers there are, and put back when the last one is disposed
 * (in any order).
 *
 * @example
 * const watch = tapSequenceEvaluate(sequence, (prompt) => ({ next: (decoding) => { last = decoding; } }));
 * try { await chat.generateResponse(history, options); } finally { watch.dispose(); }
 */
export function tapSequenceEvaluate(sequence: LlamaContextSequence, watcher: EvaluateWatcher): { dispose: () => void } {
  let entry = installed.get(sequence);
  if (!entry) {
    const original = sequence.evaluate;
    const watchers = new Set<EvaluateWatcher>();
    entry = { original, watchers };
    installed.set(sequence, entry);
    sequence.evaluate = ((tokens: Token[], options?: Parameters<Evaluate>[1]) =>
      tap(original.call(sequence, tokens, options) as unknown as TokenIterator, [...watchers], tokens.slice())) as unknown as Evaluate;
  }
  entry.watchers.add(watcher);
  const current = entry;
  return {
    dispose: () => {
      if (!current.watchers.delete(watcher) || current.watchers.size > 0) return;
      sequence.evaluate = current.original;
      installed.delete(sequence);
    },
  };
}

/** (a generator body runs at its first `next`: an iteration that is never started starts no hooks) */
async function* tap(iterator: TokenIterator, watchers: EvaluateWatcher[], tokens: Token[]): TokenIterator {
  const hooks = watchers.map((start) => start(tokens));
  try {
    let input: Token | Token[] | undefined;
    for (;;) {
      const result = await iterator.next(input as Token);
      if (result.done) return;
      for (const hook of hooks) hook.token?.(result.value);
      input = yield result.value;
      // node-llama-cpp decodes the replacement it is given, else the token it yielded
      const decoding = Array.isArray(input) ? input : input !== undefined ? [input] : [result.value];
      for (const hook of hooks) await hook.next?.(decoding);
    }
  } finally {
    for (const hook of hooks) hook.end?.();
    await iterator.return();
  }
}
