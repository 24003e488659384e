import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConversationSessions } from './conversation-sessions.js';

describe('ConversationSessions', () => {
  it('opens new sessions, keeps turns, and refuses unknown IDs as Bedrock does', () => {
    const sessions = new ConversationSessions();
    const id = sessions.open(undefined);
    assert.match(id, /^[0-9a-f-]{36}$/);
    sessions.append(id, { question: 'q1', answer: 'a1' });
    assert.equal(sessions.open(id), id);
    assert.deepEqual(sessions.history(id), [{ question: 'q1', answer: 'a1' }]);
    assert.throws(() => sessions.open('not-a-session'), { name: 'ValidationException', message: /Session with Id not-a-session is not valid/ });
  });

  it('expires idle sessions, keeps the newest turns and evicts the least recently used', () => {
    let now = 0;
    const sessions = new ConversationSessions({ ttlMs: 1000, maxSessions: 2, maxTurns: 2, now: () => now });
    const first = sessions.open(undefined);
    for (const n of [1, 2, 3]) sessions.append(first, { question: `q${n}`, answer: `a${n}` });
    assert.deepEqual(
      sessions.history(first).map((turn) => turn.question),
      ['q2', 'q3'],
    );
    now = 500;
    const second = sessions.open(undefined);
    now = 1200;
    assert.throws(() => sessions.open(first), { name: 'ValidationException' });
    assert.equal(sessions.open(second), second);
    sessions.open(undefined);
    sessions.open(undefined);
    assert.equal(sessions.size, 2);
    assert.throws(() => sessions.open(second), { name: 'ValidationException' });
  });
});
