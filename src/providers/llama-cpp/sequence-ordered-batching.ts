import type { BatchItem, CustomBatchingPrioritizationStrategy, LlamaContext, PrioritizedBatchItem } from 'node-llama-cpp';

/** What this reads of a decode node-llama-cpp has queued (its context's private `_queuedDecodes`). */
interface QueuedDecode {
  sequenceId: number;
  tokens: readonly unknown[];
}

/**
 * What each decode of a llama.cpp context takes from the queued work, and in which order
 * (node-llama-cpp's `batching.itemPrioritizationStrategy`).
 *
 * node-llama-cpp gives every sequence of a context its own KV-cache stream, and llama.cpp splits such a
 * batch into micro-batches that hold only consecutive, increasing sequence ids: a batch in arrival
 * order (sequences 2, 0, 3, 1) breaks into several micro-batches, and each is a forward pass that reads
 * every weight again. Requests reach a server in any order and lease whichever sequence suits their
 * prompt, so arrival order is rarely sequence order: with 4 streams, out of order, a decode of 12
 * prompt tokens per stream took 25–50% longer and a decode of 512 tokens 2–4% longer. This strategy shares the batch
 * out as node-llama-cpp's "maximumParallelism" does (an equal share each, what is left to the queues
 * that still have tokens, higher evaluation priority first) and then orders the items by sequence id.
 *
 * A batch item does not carry its sequence: node-llama-cpp builds the items from its queue in order,
 * so item k is the k-th queued decode, and the two share their token array. Where that no longer holds
 * (another node-llama-cpp version), the items keep their arrival order and `unordered` counts it.
 *
 * @example
 * const batching = new SequenceOrderedBatching();
 * const context = await model.createContext({ sequences: 4, batching: { itemPrioritizationStrategy: batching.prioritize } });
 * batching.attach(context);
 */
export class SequenceOrderedBatching {
  private context: LlamaContext | undefined;
  /** batches whose items could not be matched to their sequences (left in arrival order) */
  unordered = 0;

  /** The context whose queue `prioritize` reads (created with this strategy). */
  attach(context: LlamaContext): void {
    this.context = context;
  }

  readonly prioritize: CustomBatchingPrioritizationStrategy = ({ items, size }) => {
    const shares = shareBatch(items, size);
    const chosen: PrioritizedBatchItem[] = [];
    items.forEach((item, index) => {
      const processAmount = shares[index] ?? 0;
      if (processAmount > 0) chosen.push({ item, processAmount });
    });
    const sequenceIds = this.sequenceIds(items);
    if (!sequenceIds) {
      if (chosen.length > 1) this.unordered++;
      return chosen;
    }
    return chosen.sort((a, b) => (sequenceIds.get(a.item) ?? 0) - (sequenceIds.get(b.item) ?? 0));
  };

  /** Each item's sequence id, or undefined when the context's queue does not match the items one to one. */
  private sequenceIds(items: readonly BatchItem[]): Map<BatchItem, number> | undefined {
    const queued = (this.context as unknown as { _queuedDecodes?: readonly QueuedDecode[] } | undefined)?._queuedDecodes;
    if (!Array.isArray(queued) || queued.length !== items.length) return undefined;
    const ids = new Map<BatchItem, number>();
    for (const [index, item] of items.entries()) {
      const decode = queued[index];
      if (decode?.tokens !== item.tokens || typeof decode.sequenceId !== 'number') return undefined;
      ids.set(item, decode.sequenceId);
    }
    return ids;
  }
}

/**
 * How many tokens of each item a batch of `size` takes: an equal share each, then what is left goes to
 * the items that still have tokens, higher evaluation priority first, until the batch is full.
 */
export function shareBatch(items: readonly BatchItem[], size: number): number[] {
  const shares = items.map(() => 0);
  // (a stable sort: equal priorities keep their arrival order)
  const order = items.map((_, index) => index).sort((a, b) => (items[b]?.evaluationPriority ?? 0) - (items[a]?.evaluationPriority ?? 0));
  let left = size;
  while (left > 0) {
    const open = order.filter((index) => (shares[index] ?? 0) < (items[index]?.tokens.length ?? 0));
    if (open.length === 0) break;
    const each = Math.max(1, Math.floor(left / open.length));
    for (const index of open) {
      const share = shares[index] ?? 0;
      const add = Math.min((items[index]?.tokens.length ?? 0) - share, each, left);
      shares[index] = share + add;
      left -= add;
      if (left === 0) break;
    }
  }
  return shares;
}
