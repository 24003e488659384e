import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from '../parsing/parse-document.js';
import { createCustomSourceReader } from './custom-source-reader.js';
import type { DataSourceReader, DocumentRef } from './data-source-reader.js';

async function listAll(source: DataSourceReader): Promise<DocumentRef[]> {
  const refs: DocumentRef[] = [];
  for await (const ref of source.list()) refs.push(ref);
  return refs;
}

describe('custom source reader', () => {
  it('serves documents passed inline as text or bytes, with their metadata', async () => {
    const source = createCustomSourceReader();
    const faq = source.put({ id: 'faq-1', content: { type: 'TEXT', text: 'Opening hours are 9 to 5.' }, metadata: { team: { value: { type: 'STRING', value: 'support' }, includeForEmbedding: false } } });
    source.put({ id: 'page', content: { type: 'BYTE', bytes: new TextEncoder().encode('<h1>Hours</h1>'), mimeType: 'text/html' } });
    assert.deepEqual(
      (await listAll(source)).map((ref) => [ref.id, ref.fileName, ref.contentType]),
      [
        ['faq-1', 'faq-1.txt', 'text/plain'],
        ['page', 'page.html', 'text/html'],
      ],
    );
    assert.equal(new TextDecoder().decode(await source.read(faq)), 'Opening hours are 9 to 5.');
    assert.deepEqual(await source.metadata(faq), { team: { value: { type: 'STRING', value: 'support' }, includeForEmbedding: false } });
    const page = source.get('page')!;
    const parsed = await parseDocument({ bytes: await source.read(page), fileName: page.fileName, ...(page.contentType ? { contentType: page.contentType } : {}) });
    assert.equal(parsed.ok && parsed.document.text, 'Hours');
    assert.equal(source.listingComplete, false, 'a sync never deletes documents missing from it');
  });

  it('changes the fingerprint with the content or the metadata, and forgets removed documents', async () => {
    const source = createCustomSourceReader();
    const first = source.put({ id: 'a', content: { type: 'TEXT', text: 'one' } });
    assert.equal(source.put({ id: 'a', content: { type: 'TEXT', text: 'one' } }).fingerprint, first.fingerprint);
    assert.notEqual(source.put({ id: 'a', content: { type: 'TEXT', text: 'two' } }).fingerprint, first.fingerprint);
    assert.notEqual(source.put({ id: 'a', content: { type: 'TEXT', text: 'one' }, metadata: { k: { value: { type: 'NUMBER', value: 1 }, includeForEmbedding: false } } }).fingerprint, first.fingerprint);
    assert.equal(source.remove('a'), true);
    assert.equal(source.remove('a'), false);
    await assert.rejects(source.read(first), { reason: 'unreadable' });
  });
});
