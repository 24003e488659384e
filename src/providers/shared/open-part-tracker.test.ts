import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamPart } from '../../core/inference/language-model.js';
import { OpenPartTracker } from './open-part-tracker.js';

describe('OpenPartTracker', () => {
  it('opens one part at a time, closing the one before, and ignores reopening the open one', () => {
    const parts: StreamPart[] = [];
    const enqueue = (part: StreamPart) => parts.push(part);
    const tracker = new OpenPartTracker();
    tracker.open({ id: 'r', kind: 'reasoning' }, enqueue);
    tracker.open({ id: 'r', kind: 'reasoning' }, enqueue);
    tracker.open({ id: 't', kind: 'text' }, enqueue);
    tracker.open({ id: 'call_1', kind: 'tool-input' }, enqueue, 'get_rock_hardness');
    assert.deepEqual(tracker.current, { id: 'call_1', kind: 'tool-input' });
    tracker.close(enqueue);
    tracker.close(enqueue);
    assert.equal(tracker.current, undefined);
    assert.deepEqual(parts, [
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-end', id: 'r' },
      { type: 'text-start', id: 't' },
      { type: 'text-end', id: 't' },
      { type: 'tool-input-start', id: 'call_1', toolName: 'get_rock_hardness' },
      { type: 'tool-input-end', id: 'call_1' },
    ]);
  });
});
