import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GuardrailInterventionRecord } from '../../core/guardrails/interventions/guardrail-intervention.js';
import type { GuardrailRecord, GuardrailVersionRecord } from '../../core/guardrails/registry/guardrail-record.js';
import type { GuardrailStore } from './guardrail-store.js';
import { type ReopenableStore, type StoreBackend, storeBackendHooks } from '../../../test/support/store-backend-hooks.js';

/** A store on a fresh, empty database, and a way to open the same database again. */
export type OpenedGuardrailStore = ReopenableStore<GuardrailStore>;

export type GuardrailStoreBackend = StoreBackend<OpenedGuardrailStore>;

let sequence = 0;

function draft(id: string, overrides: Partial<GuardrailVersionRecord> = {}): GuardrailVersionRecord {
  const at = new Date(Date.UTC(2025, 0, 1, 0, 0, sequence, 250));
  return {
    guardrailId: id,
    version: 'DRAFT',
    name: `guardrail-${id}`,
    description: 'Keeps support chats on topic',
    definition: {
      contentPolicy: { filters: [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'MEDIUM' }] },
      sensitiveInformationPolicy: { piiEntities: [{ type: 'EMAIL', action: 'ANONYMIZE' }], regexes: [{ name: 'ticket', pattern: String.raw`TKT-\d+`, action: 'BLOCK' }] },
      blockedInputMessaging: 'Sorry, I cannot help with that.',
      blockedOutputsMessaging: 'Sorry, I cannot answer that.',
    },
    kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/abc',
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

function guardrail(): GuardrailRecord {
  sequence++;
  const id = `g${String(sequence).padStart(11, '0')}`;
  const version = draft(id);
  return { id, arn: `arn:aws:bedrock:us-east-1:000000000000:guardrail/${id}`, createdAt: version.createdAt, lastVersion: 0, tags: [{ key: 'team', value: 'support' }], versions: [version] };
}

/** The behaviour every `GuardrailStore` backend must show; each backend's test file runs it. */
export function runGuardrailStoreConformance(backend: GuardrailStoreBackend): void {
  describe(`GuardrailStore conformance: ${backend.name}`, () => {
    const stores = storeBackendHooks(backend);
    const open = async () => (await stores.open()).store;

    it('starts empty and round-trips a guardrail with its DRAFT and tags across a reopen', async () => {
      const store = await open();
      assert.deepEqual(await store.list(), []);
      const created = guardrail();
      await store.insert(created);
      assert.deepEqual(await store.list(), [created]);
      assert.deepEqual(await (await stores.opened().reopen()).list(), [created]);
    });

    it('replaces the DRAFT, adds numbered versions in order and deletes one', async () => {
      const store = await open();
      const created = guardrail();
      await store.insert(created);
      const updated = draft(created.id, { name: 'renamed', updatedAt: new Date(Date.UTC(2025, 1, 1)), definition: { wordPolicy: { words: [{ text: 'rival' }] }, blockedInputMessaging: 'a', blockedOutputsMessaging: 'b' } });
      assert.equal(await store.updateVersion(updated), true);
      const first = { ...updated, version: '1', createdAt: new Date(Date.UTC(2025, 1, 2)), updatedAt: new Date(Date.UTC(2025, 1, 2)) };
      const second = { ...updated, version: '2', description: 'second', createdAt: new Date(Date.UTC(2025, 1, 3)), updatedAt: new Date(Date.UTC(2025, 1, 3)) };
      await store.insertVersion(first, 1);
      await store.insertVersion(second, 2);
      let [listed] = await store.list();
      assert.deepEqual(listed?.versions.map((version) => version.version), ['DRAFT', '1', '2']);
      assert.equal(listed?.lastVersion, 2);
      assert.deepEqual(listed?.versions[0], updated);
      assert.equal(await store.deleteVersion(created.id, '1'), true);
      assert.equal(await store.deleteVersion(created.id, '1'), false);
      [listed] = await store.list();
      assert.deepEqual(listed?.versions.map((version) => version.version), ['DRAFT', '2']);
      assert.equal(listed?.lastVersion, 2);
      assert.equal(await store.updateVersion(draft('missing00000')), false);
    });

    it('replaces tags and deletes a guardrail with everything it has', async () => {
      const store = await open();
      const kept = guardrail();
      const removed = guardrail();
      await store.insert(kept);
      await store.insert(removed);
      assert.equal(await store.setTags(kept.id, [{ key: 'b', value: '2' }, { key: 'a', value: '1' }]), true);
      assert.equal(await store.setTags('missing00000', []), false);
      assert.equal(await store.delete(removed.id), true);
      assert.equal(await store.delete(removed.id), false);
      const listed = await store.list();
      assert.deepEqual(listed.map((item) => item.id), [kept.id]);
      assert.deepEqual(listed[0]?.tags, [{ key: 'b', value: '2' }, { key: 'a', value: '1' }]);
    });

    it('appends intervention records and lists them newest first, per guardrail, across a reopen', async () => {
      const store = await open();
      assert.deepEqual(await store.listInterventions(), []);
      const blocked: GuardrailInterventionRecord = {
        id: 'rec-1',
        guardrailId: 'gaaaaaaaaaa1',
        guardrailVersion: 'DRAFT',
        occurredAt: new Date(Date.UTC(2025, 2, 1, 10, 0, 0, 125)),
        source: 'INPUT',
        operation: 'Converse',
        requestId: 'req-1',
        action: 'BLOCKED',
        policies: [
          { policy: 'wordPolicy', action: 'BLOCKED', count: 2 },
          { policy: 'sensitiveInformationPolicy', action: 'ANONYMIZED', count: 1 },
        ],
      };
      const masked: GuardrailInterventionRecord = {
        id: 'rec-2',
        guardrailId: 'gaaaaaaaaaa2',
        guardrailVersion: '3',
        occurredAt: new Date(Date.UTC(2025, 2, 1, 10, 0, 1)),
        source: 'OUTPUT',
        operation: 'ApplyGuardrail',
        action: 'ANONYMIZED',
        policies: [{ policy: 'sensitiveInformationPolicy', action: 'ANONYMIZED', count: 1 }],
        content: ['Mail ana@example.com', 'second block'],
      };
      await store.insertIntervention(blocked);
      await store.insertIntervention(masked);
      assert.deepEqual(await store.listInterventions(), [masked, blocked]);
      assert.deepEqual(await store.listInterventions({ guardrailId: 'gaaaaaaaaaa1' }), [blocked]);
      assert.deepEqual(await store.listInterventions({ limit: 1 }), [masked]);
      assert.deepEqual(await (await stores.opened().reopen()).listInterventions(), [masked, blocked]);
    });
  });
}
