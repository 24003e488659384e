/** Percentiles of a set of latency samples, in milliseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * Summarizes samples with nearest-rank percentiles.
 *
 * @example
 * summarizeLatency([1, 2, 3]).p50 // 2
 */
export function summarizeLatency(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const count = sorted.length;
  if (count === 0) return { count: 0, mean: Number.NaN, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Number.NaN };
  let sum = 0;
  for (const value of sorted) sum += value;
  const rank = (percentile: number) => sorted[Math.min(count - 1, Math.max(0, Math.ceil((percentile / 100) * count) - 1))] as number;
  return { count, mean: sum / count, p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[count - 1] as number };
}

/** A growable list of samples without boxing each number. */
export class SampleBuffer {
  private values = new Float64Array(4096);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  toArray(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}
