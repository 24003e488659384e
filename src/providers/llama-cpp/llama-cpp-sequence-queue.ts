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
 * @example
 * const queue = new SequenceQueue(sequences, 32, 'model.gguf');
 * const lease = await queue.acquire(signal);
 * try { await generate(lease.slot); } finally { lease.release(); }
 */
export class SequenceQueue<T> {
  private readonly free: T[];
  private readonly waiters: Waiter<T>[] = [];

  constructor(
    slots: T[],
    private readonly maxQueue: number,
    private readonly label: string,
  ) {
    this.free = [...slots];
  }

  /** requests waiting for a slot */
  get waiting(): number {
    return this.waiters.length;
  }

  /** slots free right now */
  get available(): number {
    return this.free.length;
  }

  acquire(signal?: AbortSignal): Promise<SlotLease<T>> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const slot = this.free.shift();
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
