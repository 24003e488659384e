import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type IndexedDocumentState, documentsToRead, planSync } from './plan-sync.js';

const state = (id: string, overrides: Partial<IndexedDocumentState> = {}): IndexedDocumentState => ({
  id,
  contentHash: `content-${id}`,
  metadataHash: 'no-metadata',
  fingerprint: `etag-${id}`,
  configurationHash: 'settings-1',
  chunkIds: [`${id}#1`, `${id}#2`],
  ...overrides,
});

describe('planSync', () => {
  const previous = [state('same'), state('edited'), state('retagged'), state('touched'), state('removed')];
  const current = [
    { id: 'same', fingerprint: 'etag-same' },
    { id: 'edited', fingerprint: 'etag-2', contentHash: 'content-new', metadataHash: 'no-metadata' },
    { id: 'retagged', fingerprint: 'etag-2', contentHash: 'content-retagged', metadataHash: 'year-2024' },
    { id: 'touched', fingerprint: 'etag-2', contentHash: 'content-touched', metadataHash: 'no-metadata' },
    { id: 'new', fingerprint: 'etag-new', contentHash: 'content-new', metadataHash: 'no-metadata' },
  ];

  it('sorts documents into added, modified, unchanged and deleted, and lists the stale chunks', () => {
    const plan = planSync({ previous, current, configurationHash: 'settings-1' });
    assert.deepEqual(plan.added.map((document) => document.id), ['new']);
    assert.deepEqual(
      plan.modified.map((entry) => [entry.document.id, entry.reasons]),
      [
        ['edited', ['content']],
        ['retagged', ['metadata']],
      ],
    );
    assert.deepEqual(plan.unchanged.map((entry) => entry.document.id), ['same', 'touched']);
    assert.deepEqual(plan.unchanged[1]?.document.fingerprint, 'etag-2', 'a touched file keeps its chunks and records its new fingerprint');
    assert.deepEqual(plan.deleted.map((document) => document.id), ['removed']);
    assert.deepEqual(plan.staleChunkIds, ['edited#1', 'edited#2', 'retagged#1', 'retagged#2', 'removed#1', 'removed#2']);
  });

  it('re-indexes everything indexed under other settings', () => {
    const plan = planSync({ previous, current, configurationHash: 'settings-2' });
    assert.deepEqual(plan.unchanged, []);
    assert.deepEqual(plan.modified.find((entry) => entry.document.id === 'same')?.reasons, ['configuration']);
  });

  it('keeps documents missing from an incomplete listing', () => {
    const plan = planSync({ previous, current: current.slice(0, 1), listingComplete: false });
    assert.deepEqual(plan.deleted, []);
    assert.deepEqual(plan.staleChunkIds, []);
  });

  it('starts from nothing and ends with nothing', () => {
    assert.deepEqual(planSync({ previous: [], current: [] }), { added: [], modified: [], unchanged: [], deleted: [], staleChunkIds: [] });
    const wiped = planSync({ previous, current: [] });
    assert.equal(wiped.deleted.length, previous.length);
    assert.equal(wiped.staleChunkIds.length, previous.length * 2);
  });

  it('refuses duplicate ids and changed documents that were not read', () => {
    assert.throws(() => planSync({ previous: [], current: [{ id: 'a', contentHash: 'x' }, { id: 'a', contentHash: 'y' }] }), {
      name: 'ValidationException',
      message: 'The document ID a appears more than once in the data source.',
    });
    assert.throws(() => planSync({ previous, current: [{ id: 'edited', fingerprint: 'etag-9' }] }), /changed in the listing but was not read/);
  });
});

describe('documentsToRead', () => {
  it('selects new documents and those whose fingerprint changed or is unknown', () => {
    const listing = [
      { id: 'same', fingerprint: 'etag-same' },
      { id: 'edited', fingerprint: 'etag-2' },
      { id: 'unknown' },
      { id: 'new', fingerprint: 'x' },
      { id: 'no-fingerprint-before', fingerprint: 'y' },
    ];
    const read = documentsToRead([state('same'), state('edited'), state('unknown'), state('no-fingerprint-before', { fingerprint: undefined })], listing);
    assert.deepEqual(read.map((document) => document.id), ['edited', 'unknown', 'new', 'no-fingerprint-before']);
  });
});
