import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequenceQueue } from './llama-cpp-sequence-queue.js';

describe('SequenceQueue', () => {
  it('hands out free slots, then serves waiters in arrival order', async () => {
    const queue = new SequenceQueue(['a', 'b'], 8, 'model');
    const first = await queue.acquire();
    const second = await queue.acquire();
    assert.deepEqual([first.slot, second.slot], ['a', 'b']);
    const order: string[] = [];
    const waiting = [1, 2, 3].map((index) =>
      queue.acquire().then((lease) => {
        order.push(`${index}:${lease.slot}`);
        return lease;
      }),
    );
    assert.equal(queue.waiting, 3);
    second.release();
    first.release();
    const [one, two] = await Promise.all(waiting.slice(0, 2));
    assert.deepEqual(order, ['1:b', '2:a']);
    one?.release();
    (await waiting[2])?.release();
    two?.release();
    assert.equal(queue.available, 2);
  });

  it('gives a request the free slot its rank scores highest, else the least recently released', async () => {
    const queue = new SequenceQueue(['a', 'b', 'c'], 8, 'model');
    const held = await Promise.all([queue.acquire(), queue.acquire(), queue.acquire()]);
    for (const lease of [held[1], held[0], held[2]]) lease?.release();
    // released b, a, c: b is the least recent
    const oldest = await queue.acquire();
    assert.equal(oldest.slot, 'b');
    oldest.release();
    const score: Record<string, number> = { a: 7, b: 7, c: 2 };
    const ranked = await queue.acquire(undefined, (slot) => score[slot] ?? 0);
    assert.equal(ranked.slot, 'a', 'a tie goes to the least recently released');
    const next = await queue.acquire(undefined, (slot) => score[slot] ?? 0);
    assert.equal(next.slot, 'b');
    ranked.release();
    next.release();
    assert.equal(queue.available, 3);
  });

  it('on a tie, gives the free slot next to slots in use, so the sequences in use stay consecutive', async () => {
    const queue = new SequenceQueue([0, 1, 2, 3, 4], 8, 'model');
    const held = await Promise.all([0, 1, 2, 3, 4].map(() => queue.acquire()));
    // released 0, 2, 4, then 3 (least recent first); 1 stays in use
    for (const index of [0, 2, 4, 3]) held[index]?.release();
    const first = await queue.acquire();
    assert.equal(first.slot, 0, 'next to 1, and released before 2');
    const second = await queue.acquire();
    assert.equal(second.slot, 2, 'next to 1; 4 and 3 are not next to a slot in use');
    const third = await queue.acquire();
    assert.equal(third.slot, 3, 'next to 2, though 4 was released before it');
    const scored = await queue.acquire(undefined, (slot) => (slot === 4 ? 1 : 0));
    assert.equal(scored.slot, 4);
    for (const lease of [first, second, third, scored, held[1]]) lease?.release();
    // nothing in use: the least recently released, wherever it is
    const alone = await queue.acquire(undefined, (slot) => (slot === 1 ? 0 : 1));
    assert.equal(alone.slot, 0);
    alone.release();
  });

  it('lets a higher rank win over neighbours in use', async () => {
    const queue = new SequenceQueue(['a', 'b', 'c'], 8, 'model');
    const [a, b, c] = await Promise.all([queue.acquire(), queue.acquire(), queue.acquire()]);
    c?.release();
    b?.release();
    // a in use; b is next to it, c is not
    const ranked = await queue.acquire(undefined, (slot) => (slot === 'c' ? 3 : 2));
    assert.equal(ranked.slot, 'c');
    ranked.release();
    a?.release();
  });

  it('throttles once maxQueue requests are waiting', async () => {
    const queue = new SequenceQueue(['only'], 1, 'model.gguf');
    const held = await queue.acquire();
    const waiting = queue.acquire();
    await assert.rejects(queue.acquire(), (error: Error & { isRetryable?: boolean }) => {
      assert.equal(error.name, 'ThrottlingException');
      assert.match(error.message, /model\.gguf/);
      assert.equal(error.isRetryable, true);
      return true;
    });
    held.release();
    (await waiting).release();
  });

  it('drops a waiter whose signal aborts, and a released lease cannot be released twice', async () => {
    const queue = new SequenceQueue(['only'], 4, 'model');
    const held = await queue.acquire();
    const abort = new AbortController();
    const waiting = queue.acquire(abort.signal);
    abort.abort(new Error('client left'));
    await assert.rejects(waiting, /client left/);
    assert.equal(queue.waiting, 0);
    held.release();
    held.release();
    assert.equal(queue.available, 1);
    await assert.rejects(queue.acquire(AbortSignal.abort(new Error('already gone'))), /already gone/);
  });

  it('rejects every waiter when the model goes away', async () => {
    const queue = new SequenceQueue(['only'], 4, 'model');
    await queue.acquire();
    const waiting = [queue.acquire(), queue.acquire()];
    queue.rejectWaiting(new Error('unloaded'));
    for (const promise of waiting) await assert.rejects(promise, /unloaded/);
  });
});
