import { OutcropError } from '../../core/errors.js';

/** A slot held by one request; `release` hands it to the next waiter (idempotent). */
export interface SlotLease<T> {
  readonly slot: T;
  release(): void;
}

interface Waiter<T> {
  resolve(lease: SlotLease<T>): void;
  reject(error: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * A fair first-in, first-out queue over a fixed set of slots (a context's sequences). Requests beyond
 * the free slots wait in arrival order; past `maxQueue` waiting requests a new one is refused with
 * `ThrottlingException`, so a burst cannot pile up unbounded work. A waiter whose client leaves is
 * dropped from the queue at once.
 *
 * Among free slots a request gets the one its `rank` scores highest (for a context sequence: one
 * that already holds the start of the request's prompt, so that prefix is not evaluated again); on a
 * tie, the one with more neighbours in use, counting neighbours in the order the slots were given; then
 * the least recently released one. A context's sequences are given in sequence-id order, and llama.cpp
 * evaluates the sequences of one decode in a single forward pass only when their ids are consecutive
 * (see sequence-ordered-batching.ts): sequences 0 and 2 at once cost two passes per token, 0 and 1 one.
 *
 * @example
 * const queue = new SequenceQueue(sequences, 32, 'model.gguf');
 * const lease = await queue.acquire(signal, (sequence) => sequence.compareContextTokens(tokens).firstDifferentIndex);
 * try { await generate(lease.slot); } finally { lease.release(); }
 */
export class SequenceQueue<T> {
  /** free slots, the least recently released first */
  private readonly free: T[];
  /** each slot's place in the order the slots were given */
  private readonly positions: Map<T, number>;
  private readonly waiters: Waiter<T>[] = [];

  constructor(
    slots: T[],
    private readonly maxQueue: number,
    private readonly label: string,
  ) {
    this.free = [...slots];
    this.positions = new Map(slots.map((slot, index) => [slot, index]));
  }

  /** requests waiting for a slot */
  get waiting(): number {
    return this.waiters.length;
  }

  /** slots free right now */
  get available(): number {
    return this.free.length;
  }

  acquire(signal?: AbortSignal, rank?: (slot: T) => number): Promise<SlotLease<T>> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const slot = this.takeFree(rank);
    if (slot !== undefined) return Promise.resolve(this.lease(slot));
    if (this.waiters.length >= this.maxQueue) {
      return Promise.reject(
        new OutcropError('ThrottlingException', `Too many requests for model ${this.label}: all its sequences are busy and ${this.maxQueue} requests are already waiting. Retry later.`),
      );
    }
    return new Promise<SlotLease<T>>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /**
   * Removes and returns the free slot `rank` scores highest; on a tie the one with more neighbours in
   * use, then the least recently released.
   */
  private takeFree(rank: ((slot: T) => number) | undefined): T | undefined {
    if (this.free.length === 0) return undefined;
    let best = 0;
    if (this.free.length > 1) {
      const freePositions = new Set(this.free.map((slot) => this.positions.get(slot)));
      const inUse = (position: number) => position >= 0 && position < this.positions.size && !freePositions.has(position);
      let bestScore = Number.NEGATIVE_INFINITY;
      let bestNeighbours = -1;
      for (let index = 0; index < this.free.length; index++) {
        const slot = this.free[index] as T;
        const score = rank ? rank(slot) : 0;
        const position = this.positions.get(slot) ?? -2;
        const neighbours = (inUse(position - 1) ? 1 : 0) + (inUse(position + 1) ? 1 : 0);
        if (score > bestScore || (score === bestScore && neighbours > bestNeighbours)) {
          bestScore = score;
          bestNeighbours = neighbours;
          best = index;
        }
      }
    }
    return this.free.splice(best, 1)[0];
  }

  /** Refuses every waiting request (the model is being unloaded or the provider closed). */
  rejectWaiting(error: unknown): void {
    for (const waiter of this.waiters.splice(0)) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(error);
    }
  }

  private lease(slot: T): SlotLease<T> {
    let released = false;
    return {
      slot,
      release: () => {
        if (released) return;
        released = true;
        const next = this.waiters.shift();
        if (next) {
          next.signal?.removeEventListener('abort', next.onAbort);
          next.resolve(this.lease(slot));
        } else {
          this.free.push(slot);
        }
      },
    };
  }
}
