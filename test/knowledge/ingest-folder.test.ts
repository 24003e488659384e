import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Chunk } from '../../src/core/knowledge/chunking/chunk.js';
import { chunkDocument } from '../../src/core/knowledge/chunking/chunk-document.js';
import { cachedTokenCounter, loadTokenCounter } from '../../src/core/knowledge/chunking/token-counter.js';
import { hashMetadata } from '../../src/core/knowledge/metadata/document-metadata.js';
import { parseDocument } from '../../src/core/knowledge/parsing/parse-document.js';
import type { DataSourceReader } from '../../src/core/knowledge/sources/data-source-reader.js';
import { createLocalDirectoryReader } from '../../src/core/knowledge/sources/local-directory-reader.js';
import { type IndexedDocumentState, documentsToRead, planSync } from '../../src/core/knowledge/sync/plan-sync.js';
import { makeDocx, makePdf, makeXlsx } from '../support/document-fixtures.js';

let folder: string;

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'outcrop-ingest-'));
  const files: Record<string, string | Uint8Array> = {
    'geology.pdf': makePdf([['Granite is an igneous rock.'], ['Basalt forms from lava.']], { title: 'Geology' }),
    'geology.pdf.metadata.json': JSON.stringify({ metadataAttributes: { year: 2024, topic: { value: { type: 'STRING', stringValue: 'rocks' }, includeForEmbedding: true } } }),
    'handbook.docx': makeDocx([{ heading: 1, text: 'Handbook' }, 'Employees get 25 days of leave.']),
    'page.html': '<title>Page</title><h1>Minerals</h1><p>Quartz is hard.</p>',
    'notes.md': '# Notes\n\nObsidian is volcanic glass.',
    'rocks.csv': 'rock,type\nMarble,metamorphic\n',
    'inventory.xlsx': await makeXlsx({ Sheet1: [['Rock', 'Count'], ['Granite', 3]] }),
    'broken.pdf': makePdf([['cut short']]).slice(0, 150),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(folder, name), content);
});

after(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** What an ingestion job does with the building blocks: read what changed, parse, chunk, record failures. */
async function sync(reader: DataSourceReader, previous: IndexedDocumentState[]) {
  const tokenCounter = cachedTokenCounter(await loadTokenCounter());
  const listing = [];
  for await (const ref of reader.list()) listing.push(ref);
  const read = new Set(documentsToRead(previous, listing).map((ref) => ref.id));
  const chunks = new Map<string, Chunk[]>();
  const failures = new Map<string, string>();
  const current = [];
  for (const ref of listing) {
    if (!read.has(ref.id)) {
      current.push({ id: ref.id, fingerprint: ref.fingerprint });
      continue;
    }
    const bytes = await reader.read(ref);
    const metadata = await reader.metadata(ref);
    current.push({ id: ref.id, fingerprint: ref.fingerprint, contentHash: createHash('sha256').update(bytes).digest('hex'), metadataHash: hashMetadata(metadata) });
    const outcome = await parseDocument({ bytes, fileName: ref.fileName });
    if (!outcome.ok) {
      failures.set(ref.id, `${outcome.reason}: ${outcome.message}`);
      continue;
    }
    chunks.set(ref.id, await chunkDocument({ documentId: ref.id, ...outcome.document }, { type: 'FIXED_SIZE', maxTokens: 300, overlapPercentage: 20 }, { tokenCounter }));
  }
  const plan = planSync({ previous, current });
  const state: IndexedDocumentState[] = current.flatMap((document) => {
    const before = previous.find((entry) => entry.id === document.id);
    const indexed = chunks.get(document.id);
    if (indexed) return [{ id: document.id, contentHash: document.contentHash!, metadataHash: document.metadataHash!, fingerprint: document.fingerprint, chunkIds: indexed.map((chunk) => chunk.id) }];
    return before && !read.has(document.id) ? [{ ...before, fingerprint: document.fingerprint }] : [];
  });
  return { plan, chunks, failures, read, state };
}

describe('ingesting a folder of real documents', () => {
  let firstState: IndexedDocumentState[];

  it('parses and chunks every format, and reports the corrupt PDF without stopping', async () => {
    const { plan, chunks, failures, state } = await sync(createLocalDirectoryReader({ root: folder }), []);
    assert.equal(plan.added.length, 7);
    assert.deepEqual([...failures.keys()], ['broken.pdf']);
    assert.match(failures.get('broken.pdf') ?? '', /^corrupt: broken\.pdf is not a valid PDF/);
    const text = (id: string) => chunks.get(id)?.map((chunk) => chunk.text).join('\n');
    assert.equal(text('geology.pdf'), 'Granite is an igneous rock.\n\nBasalt forms from lava.');
    assert.deepEqual(chunks.get('geology.pdf')?.[0]?.location, { pageNumber: 1, lastPageNumber: 2 });
    assert.equal(text('handbook.docx'), 'Handbook\n\nEmployees get 25 days of leave.');
    assert.equal(text('page.html'), 'Minerals\n\nQuartz is hard.');
    assert.equal(text('notes.md'), 'Notes\n\nObsidian is volcanic glass.');
    assert.equal(text('rocks.csv'), 'rock: Marble; type: metamorphic');
    assert.equal(text('inventory.xlsx'), 'Sheet1\n\nRock: Granite; Count: 3');
    firstState = state;
  });

  it('re-reads only what changed, replaces modified documents and removes deleted ones', async () => {
    await writeFile(join(folder, 'notes.md'), '# Notes\n\nPumice floats on water.');
    await writeFile(join(folder, 'geology.pdf.metadata.json'), JSON.stringify({ metadataAttributes: { year: 2025 } }));
    await unlink(join(folder, 'rocks.csv'));
    const { plan, read } = await sync(createLocalDirectoryReader({ root: folder }), firstState);
    assert.deepEqual([...read].sort(), ['broken.pdf', 'geology.pdf', 'notes.md'], 'unchanged documents are not even read; the failed one is retried');
    assert.deepEqual(
      plan.modified.map((entry) => [entry.document.id, entry.reasons]),
      [
        ['geology.pdf', ['metadata']],
        ['notes.md', ['content']],
      ],
    );
    assert.deepEqual(plan.deleted.map((document) => document.id), ['rocks.csv']);
    assert.deepEqual(plan.unchanged.map((entry) => entry.document.id).sort(), ['handbook.docx', 'inventory.xlsx', 'page.html']);
    assert.deepEqual(plan.added.map((document) => document.id), ['broken.pdf']);
  });
});
