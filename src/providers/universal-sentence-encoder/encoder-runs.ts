/**
 * What one encoder run costs, fitted on the WebAssembly backend (ms on this project's machine): about
 * 3.7 to run the graph at all, 0.2 per token (the feed-forward layers see only real tokens) and 0.15
 * per padded token (attention and projections see every text padded to the run's longest). In units
 * of one padded token. Fitted when runs went through the graph executor; the direct forward pass
 * (`encoder-forward-pass.ts`) has since cut the fixed part to about 2 ms, so these groupings keep a
 * few more texts together than the cheapest would. Kept as fitted: a different grouping changes the
 * last bits of some vectors, and the guardrail benchmark's quality figures were measured with these.
 */
const fixedCost = 24;
const tokenCost = 1.3;

/** Estimated cost of one run whose texts have these token counts. */
export function runCost(tokenCounts: readonly number[]): number {
  let total = 0;
  let longest = 0;
  for (const count of tokenCounts) {
    total += count;
    longest = Math.max(longest, count);
  }
  return fixedCost + tokenCost * total + tokenCounts.length * longest;
}

/** Token count the main thread can estimate without the tokenizer (about 3.9 characters a token). */
export function estimatedTokens(text: string): number {
  return Math.ceil(text.length / 4) + 1;
}

interface Sorted {
  order: number[];
  lengths: number[];
  /** prefix sums of `lengths` */
  sums: number[];
}

function sortByLength(tokenCounts: readonly number[]): Sorted {
  const order = tokenCounts.map((_, index) => index).sort((a, b) => tokenCounts[a]! - tokenCounts[b]!);
  const lengths = order.map((index) => tokenCounts[index]!);
  const sums = [0];
  for (const length of lengths) sums.push(sums[sums.length - 1]! + length);
  return { order, lengths, sums };
}

/** Cost of the sorted texts `start` to `end` (exclusive) as one run; the longest is the last. */
function sliceCost(sorted: Sorted, start: number, end: number): number {
  return fixedCost + tokenCost * (sorted.sums[end]! - sorted.sums[start]!) + (end - start) * sorted.lengths[end - 1]!;
}

function groupsFrom(sorted: Sorted, cuts: number[]): number[][] {
  const groups: number[][] = [];
  for (let index = 1; index < cuts.length; index++) groups.push(sorted.order.slice(cuts[index - 1], cuts[index]));
  return groups;
}

/**
 * Groups one thread's texts into runs of similar length so that short texts are not padded to a long
 * one's length, where that saves more than the cost of an extra run: the grouping of least total
 * cost (texts sorted by length, cut into consecutive runs).
 *
 * @example
 * planRuns([12, 14, 11, 90]) // [[2, 0, 1], [3]]: indices into the batch, one array per run
 */
export function planRuns(tokenCounts: readonly number[]): number[][] {
  if (tokenCounts.length <= 1) return [tokenCounts.map((_, index) => index)];
  const sorted = sortByLength(tokenCounts);
  const count = tokenCounts.length;
  const best = [0];
  const cut = [0];
  for (let end = 1; end <= count; end++) {
    best.push(Number.POSITIVE_INFINITY);
    cut.push(0);
    for (let start = 0; start < end; start++) {
      const value = best[start]! + sliceCost(sorted, start, end);
      if (value < best[end]!) {
        best[end] = value;
        cut[end] = start;
      }
    }
  }
  const cuts = [count];
  while (cuts[0]! > 0) cuts.unshift(cut[cuts[0]!]!);
  return groupsFrom(sorted, cuts);
}

/**
 * Splits a batch across up to `threads` encoder threads so that the last part finishes as early as
 * possible (texts sorted by length, cut into consecutive parts minimizing the costliest part). Fewer
 * parts come back when splitting would not help.
 *
 * @example
 * splitAcrossThreads([12, 14, 11, 90], 2) // [[2, 0, 1], [3]]
 */
export function splitAcrossThreads(tokenCounts: readonly number[], threads: number): number[][] {
  const count = tokenCounts.length;
  const parts = Math.max(1, Math.min(Math.floor(threads), count));
  if (parts === 1) return [tokenCounts.map((_, index) => index)];
  const sorted = sortByLength(tokenCounts);
  // best[k][end]: the least costliest part when the first `end` sorted texts form k parts.
  const best: number[][] = [[0, ...new Array<number>(count).fill(Number.POSITIVE_INFINITY)]];
  const cut: number[][] = [[]];
  for (let k = 1; k <= parts; k++) {
    best.push(new Array<number>(count + 1).fill(Number.POSITIVE_INFINITY));
    cut.push(new Array<number>(count + 1).fill(0));
    for (let end = k; end <= count; end++) {
      for (let start = k - 1; start < end; start++) {
        const value = Math.max(best[k - 1]![start]!, sliceCost(sorted, start, end));
        if (value < best[k]![end]!) {
          best[k]![end] = value;
          cut[k]![end] = start;
        }
      }
    }
  }
  let chosen = 1;
  for (let k = 2; k <= parts; k++) if (best[k]![count]! < best[chosen]![count]!) chosen = k;
  const cuts = [count];
  for (let k = chosen; k >= 1; k--) cuts.unshift(cut[k]![cuts[0]!]!);
  return groupsFrom(sorted, cuts);
}
