/**
 * Records when llama.cpp decodes run, for benchmarks that compare time to first token across paths
 * in one process: a prompt's decode takes tens of ms and varies by several ms from one request to the
 * next on a shared machine, more than the difference being measured. With each decode's interval
 * known, a request's time outside llama.cpp's decodes (its first-token time minus the decodes that
 * ran and ended before its first token) measures what the path adds around the same decode.
 *
 * It wraps node-llama-cpp's internal batch dispatch (`LlamaContext.dispatchPendingBatch` and the native
 * context's `decodeBatch`), which is not public API: a benchmark aid only, checked on node-llama-cpp 3.22.
 *
 * @example
 * const trace = traceDecodes(LlamaContext);
 * const started = performance.now(); ... const ttft = ...;
 * const outside = ttft - trace.decodeMsWithin(started, started + ttft);
 */
export interface DecodeTrace {
  /** ms spent in decodes that started at or after `from` and ended by `to` (performance.now() times) */
  decodeMsWithin(from: number, to: number): number;
  /** decodes recorded so far */
  readonly count: number;
}

interface NativeContext {
  decodeBatch(...args: unknown[]): Promise<unknown>;
}

export function traceDecodes(LlamaContext: unknown): DecodeTrace {
  const intervals: [number, number][] = [];
  const traced = new WeakSet<object>();
  const prototype = (LlamaContext as { prototype: { dispatchPendingBatch?: (...args: unknown[]) => unknown } }).prototype;
  const original = prototype.dispatchPendingBatch;
  if (typeof original !== 'function') throw new Error('node-llama-cpp has no LlamaContext.dispatchPendingBatch: the decode trace needs updating');
  prototype.dispatchPendingBatch = function (this: { _ctx: NativeContext }, ...args: unknown[]) {
    const native = this._ctx;
    if (native && !traced.has(native)) {
      traced.add(native);
      const decode = native.decodeBatch.bind(native);
      // (the native method is read-only on its prototype; an own property on the instance shadows it)
      Object.defineProperty(native, 'decodeBatch', {
        value: async (...decodeArgs: unknown[]) => {
          const start = performance.now();
          try {
            return await decode(...decodeArgs);
          } finally {
            intervals.push([start, performance.now()]);
            if (intervals.length > 100_000) intervals.splice(0, 50_000);
          }
        },
      });
    }
    return original.apply(this, args);
  };
  return {
    decodeMsWithin(from, to) {
      let total = 0;
      for (let index = intervals.length - 1; index >= 0; index--) {
        const [start, end] = intervals[index] as [number, number];
        if (end < from) break;
        if (start >= from && end <= to) total += end - start;
      }
      return total;
    },
    get count() {
      return intervals.length;
    },
  };
}
