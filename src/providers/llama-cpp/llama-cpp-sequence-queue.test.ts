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
