import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcropError } from '../../core/errors.js';
import type { ApplicationInferenceProfile } from '../../core/models/inference-profiles/inference-profile.js';
import type { InferenceProfileStore } from './inference-profile-store.js';
import { type StoreBackend as GenericStoreBackend, type ReopenableStore, storeBackendHooks } from '../../../test/support/store-backend-hooks.js';

/** A store on a fresh, empty database, and a way to open the same database again. */
export type OpenedStore = ReopenableStore<InferenceProfileStore>;

/** How a backend's test file gives the suite its stores. */
export type StoreBackend = GenericStoreBackend<OpenedStore>;

let sequence = 0;

function profile(overrides: Partial<ApplicationInferenceProfile> = {}): ApplicationInferenceProfile {
  sequence++;
  const id = `p${String(sequence).padStart(11, '0')}`;
  const at = new Date(Date.UTC(2025, 0, 1, 0, 0, sequence, 123));
  return {
    id,
    arn: `arn:aws:bedrock:us-east-1:000000000000:application-inference-profile/${id}`,
    name: `profile-${sequence}`,
    description: `Profile number ${sequence}`,
    modelSource: 'arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-1-8b-instruct-v1:0',
    modelArns: ['arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-1-8b-instruct-v1:0'],
    createdAt: at,
    updatedAt: at,
    tags: [],
    ...overrides,
  };
}

/**
 * The one behaviour every `InferenceProfileStore` backend must show. Each backend's test file
 * calls this with its own way of opening a store; nothing here knows the backend.
 */
export function runInferenceProfileStoreConformance(backend: StoreBackend): void {
  describe(`InferenceProfileStore conformance: ${backend.name}`, () => {
    const stores = storeBackendHooks(backend);
    const open = async () => (await stores.open()).store;

    it('starts empty', async () => {
      const store = await open();
      assert.deepEqual(await store.list(), []);
      assert.equal(await store.get('nothing00000'), undefined);
    });

    it('round-trips every field, tags in order, and a missing description', async () => {
      const store = await open();
      const full = profile({
        tags: [
          { key: 'team', value: 'search' },
          { key: 'cost-center', value: 'cc 42/eu' },
          { key: 'empty', value: '' },
        ],
        modelArns: ['arn:aws:bedrock:us-east-1::foundation-model/a', 'arn:aws:bedrock:us-west-2::foundation-model/a'],
      });
      const { description: _, ...bare } = profile();
      await store.insert(full);
      await store.insert(bare);
      assert.deepEqual(await store.get(full.id), full);
      assert.deepEqual(await store.get(bare.id), bare);
      assert.deepEqual(await store.list(), [full, bare]);
    });

    it('lists oldest first, then by ID', async () => {
      const store = await open();
      const at = new Date(Date.UTC(2025, 5, 1));
      const later = profile({ createdAt: new Date(Date.UTC(2025, 6, 1)), updatedAt: new Date(Date.UTC(2025, 6, 1)) });
      const b = profile({ id: 'bbbbbbbbbbbb', createdAt: at, updatedAt: at });
      const a = profile({ id: 'aaaaaaaaaaaa', createdAt: at, updatedAt: at });
      for (const item of [later, b, a]) await store.insert(item);
      assert.deepEqual((await store.list()).map((item) => item.id), ['aaaaaaaaaaaa', 'bbbbbbbbbbbb', later.id]);
    });

    it('refuses a taken name or ID with ConflictException and keeps the first', async () => {
      const store = await open();
      const first = profile({ tags: [{ key: 'k', value: 'v' }] });
      await store.insert(first);
      for (const duplicate of [profile({ name: first.name }), profile({ id: first.id })]) {
        await assert.rejects(store.insert(duplicate), (error: unknown) => OutcropError.isInstance(error) && error.code === 'ConflictException');
      }
      assert.deepEqual(await store.list(), [first]);
    });

    it('deletes a profile with its tags, and says whether it existed', async () => {
      const store = await open();
      const doomed = profile({ tags: [{ key: 'a', value: '1' }] });
      const kept = profile({ tags: [{ key: 'a', value: '2' }] });
      await store.insert(doomed);
      await store.insert(kept);
      assert.equal(await store.delete(doomed.id), true);
      assert.equal(await store.delete(doomed.id), false);
      assert.deepEqual(await store.list(), [kept]);
      // The ID and name are free again, and the new profile does not inherit the old tags.
      const reborn = { ...doomed, tags: [] };
      await store.insert(reborn);
      assert.deepEqual((await store.get(doomed.id))?.tags, []);
    });

    it('replaces tags and the update time, and says whether the profile exists', async () => {
      const store = await open();
      const item = profile({ tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
      await store.insert(item);
      const updatedAt = new Date(Date.UTC(2026, 1, 2, 3, 4, 5, 678));
      assert.equal(await store.setTags(item.id, [{ key: 'b', value: 'two' }, { key: 'c', value: '3' }], updatedAt), true);
      assert.deepEqual(await store.get(item.id), { ...item, tags: [{ key: 'b', value: 'two' }, { key: 'c', value: '3' }], updatedAt });
      assert.equal(await store.setTags(item.id, [], updatedAt), true);
      assert.deepEqual((await store.get(item.id))?.tags, []);
      assert.equal(await store.setTags('missing00000', [{ key: 'a', value: '1' }], updatedAt), false);
      assert.equal(await store.get('missing00000'), undefined);
    });

    it('takes concurrent writes', async () => {
      const store = await open();
      const many = Array.from({ length: 20 }, () => profile({ tags: [{ key: 'n', value: 'x' }] }));
      await Promise.all(many.map((item) => store.insert(item)));
      await Promise.all(many.map((item, index) => store.setTags(item.id, [{ key: 'n', value: String(index) }], item.updatedAt)));
      const listed = await store.list();
      assert.equal(listed.length, 20);
      assert.deepEqual(
        listed.map((item) => item.tags[0]?.value),
        many.map((_, index) => String(index)),
      );
    });

    it('keeps everything across a reopen, whose migrations find nothing to do', async () => {
      const store = await open();
      const item = profile({ description: 'Überprüfung: naïve — 日本語', tags: [{ key: 'k', value: 'v' }] });
      await store.insert(item);
      const reopened = await stores.opened().reopen();
      assert.deepEqual(await reopened.list(), [item]);
    });
  });
}
