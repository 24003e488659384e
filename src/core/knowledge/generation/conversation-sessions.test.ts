import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConversationSessions } from './conversation-sessions.js';
import { InMemoryConversationSessionRepository } from './conversation-sessions-in-memory.js';

describe('ConversationSessions', () => {
  it('opens new sessions, keeps turns, and refuses unknown IDs as Bedrock does', async () => {
    const sessions = new ConversationSessions();
    const id = await sessions.open(undefined);
    assert.match(id, /^[0-9a-f-]{36}$/);
    await sessions.append(id, { question: 'q1', answer: 'a1' });
    assert.equal(await sessions.open(id), id);
    assert.deepEqual(await sessions.history(id), [{ question: 'q1', answer: 'a1' }]);
    await assert.rejects(sessions.open('not-a-session'), { name: 'ValidationException', message: 'Session with Id not-a-session is not valid. Please check and try again.' });
  });

  it('expires idle sessions, deletes them lazily and keeps the newest turns', async () => {
    let now = 0;
    const repository = new InMemoryConversationSessionRepository();
    const sessions = new ConversationSessions({ repository, ttlMs: 1000, maxTurns: 2, sweepEveryMs: 100, now: () => now });
    const first = await sessions.open(undefined);
    for (const n of [1, 2, 3]) await sessions.append(first, { question: `q${n}`, answer: `a${n}` });
    assert.deepEqual(
      (await sessions.history(first)).map((turn) => turn.question),
      ['q2', 'q3'],
    );
    now = 500;
    const second = await sessions.open(undefined);
    now = 1200;
    await assert.rejects(sessions.open(first), { name: 'ValidationException' });
    assert.equal(await sessions.open(second), second);
    assert.equal(repository.size, 1, 'the expired session is deleted');
    now = 2100;
    assert.equal(await sessions.open(second), second, 'each use extends the session');
    now = 3200;
    await assert.rejects(sessions.open(second), { name: 'ValidationException' });
  });

  it('keeps its sessions in the repository it is given, so another instance over it continues them', async () => {
    const repository = new InMemoryConversationSessionRepository();
    const id = await new ConversationSessions({ repository }).open(undefined);
    await new ConversationSessions({ repository }).append(id, { question: 'q', answer: 'a' });
    const other = new ConversationSessions({ repository });
    assert.equal(await other.open(id), id);
    assert.deepEqual(await other.history(id), [{ question: 'q', answer: 'a' }]);
  });

  it('caps the in-memory fallback, dropping the least recently used session', async () => {
    const repository = new InMemoryConversationSessionRepository(2);
    const sessions = new ConversationSessions({ repository });
    const first = await sessions.open(undefined);
    const second = await sessions.open(undefined);
    await sessions.open(first);
    await sessions.open(undefined);
    assert.equal(repository.size, 2);
    assert.equal(await sessions.open(first), first);
    await assert.rejects(sessions.open(second), { name: 'ValidationException' });
  });
});
