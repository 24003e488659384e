import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentMemoryStore, SessionSummaryRecord } from '../../core/agents/sessions/agent-memory-store.js';
import { type ReopenableStore, type StoreBackend, storeBackendHooks } from '../../../test/support/store-backend-hooks.js';

/** A store on a fresh, empty database, and a way to open the same database again. */
export type OpenedAgentMemoryStore = ReopenableStore<AgentMemoryStore>;

export type AgentMemoryStoreBackend = StoreBackend<OpenedAgentMemoryStore>;

const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1, 0, minutes, 0, 250));
const day = 86_400_000;

function summary(fields: Partial<SessionSummaryRecord> & { sessionId: string; ended: number }): SessionSummaryRecord {
  const { ended, ...rest } = fields;
  return {
    agentId: 'AGENT00001',
    memoryId: 'user-ada',
    sessionStartTime: at(ended - 5),
    sessionExpiryTime: at(ended),
    summaryText: `Summary of ${fields.sessionId}.`,
    expiresAt: new Date(at(ended).getTime() + 30 * day),
    ...rest,
  };
}

/**
 * The behaviour every agent memory backend must show, run against each: summaries kept across a
 * reopen with exact timestamps, newest first, replaced per session, expired ones never listed, and
 * deletion by memoryId, by session, or for the whole agent.
 *
 * @example
 * runAgentMemoryStoreConformance({ name: 'sqlite', open: async () => ... });
 */
export function runAgentMemoryStoreConformance(backend: AgentMemoryStoreBackend): void {
  describe(`agent memory store: ${backend.name}`, () => {
    const stores = storeBackendHooks(backend);
    let opened: OpenedAgentMemoryStore;

    it('keeps summaries across a reopen, newest first, with exact times', async () => {
      opened = await stores.open();
      const older = summary({ sessionId: 's1', ended: 10 });
      const newer = summary({ sessionId: 's2', ended: 20, summaryText: 'Ada said she loves granite — and "quotes" survive.' });
      await opened.store.add(older);
      await opened.store.add(newer);
      const reopened = await opened.reopen();
      const listed = await reopened.list('AGENT00001', 'user-ada', at(30));
      assert.deepEqual(listed, [newer, older]);
      assert.deepEqual(await reopened.list('AGENT00001', 'user-bob', at(30)), []);
      assert.deepEqual(await reopened.list('AGENT00002', 'user-ada', at(30)), []);
    });

    it('replaces the summary of the same session', async () => {
      opened = await stores.open();
      await opened.store.add(summary({ sessionId: 's1', ended: 10 }));
      const again = summary({ sessionId: 's1', ended: 12, summaryText: 'A later summary.' });
      await opened.store.add(again);
      assert.deepEqual(await opened.store.list('AGENT00001', 'user-ada', at(30)), [again]);
    });

    it('never lists expired summaries', async () => {
      opened = await stores.open();
      const short = summary({ sessionId: 's1', ended: 10, expiresAt: at(40) });
      const long = summary({ sessionId: 's2', ended: 11 });
      await opened.store.add(short);
      await opened.store.add(long);
      assert.equal((await opened.store.list('AGENT00001', 'user-ada', at(39))).length, 2);
      assert.deepEqual(await opened.store.list('AGENT00001', 'user-ada', at(40)), [long]);
      assert.deepEqual(await opened.store.list('AGENT00001', 'user-ada', at(41)), [long]);
    });

    it('deletes one session, one memoryId, or every memory of an agent', async () => {
      opened = await stores.open();
      await opened.store.add(summary({ sessionId: 's1', ended: 10 }));
      await opened.store.add(summary({ sessionId: 's2', ended: 11 }));
      await opened.store.add(summary({ sessionId: 's3', ended: 12, memoryId: 'user-bob' }));
      await opened.store.add(summary({ sessionId: 's4', ended: 13, agentId: 'AGENT00002' }));
      await opened.store.delete('AGENT00001', { memoryId: 'user-ada', sessionId: 's1' });
      assert.deepEqual((await opened.store.list('AGENT00001', 'user-ada', at(30))).map((item) => item.sessionId), ['s2']);
      await opened.store.delete('AGENT00001', { memoryId: 'user-ada' });
      assert.deepEqual(await opened.store.list('AGENT00001', 'user-ada', at(30)), []);
      assert.equal((await opened.store.list('AGENT00001', 'user-bob', at(30))).length, 1);
      await opened.store.delete('AGENT00001', {});
      assert.deepEqual(await opened.store.list('AGENT00001', 'user-bob', at(30)), []);
      assert.equal((await opened.store.list('AGENT00002', 'user-ada', at(30))).length, 1, 'other agents keep their memory');
    });
  });
}
