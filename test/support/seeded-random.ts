/**
 * A deterministic pseudo-random source in [0, 1) (mulberry32): the same seed gives the same
 * sequence, so generated data is the same on every run and a failing case can be replayed.
 *
 * @example
 * const random = seededRandom(42);
 * const pick = items[Math.floor(random() * items.length)];
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
