import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FakeS3Server, startFakeS3Server } from '../../../../test/support/fake-s3-server.js';
import type { DocumentRef } from './data-source-reader.js';
import { bucketNameFromArn, createS3Reader } from './s3-reader.js';

let s3: FakeS3Server;
const readers: { close(): void }[] = [];

function reader(overrides: Partial<Parameters<typeof createS3Reader>[0]> = {}) {
  const created = createS3Reader({ bucket: 'docs', endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, ...overrides });
  readers.push(created);
  return created;
}

async function listAll(source: ReturnType<typeof createS3Reader>): Promise<DocumentRef[]> {
  const refs: DocumentRef[] = [];
  for await (const ref of source.list()) refs.push(ref);
  return refs;
}

before(async () => {
  s3 = await startFakeS3Server({ pageSize: 2 });
  s3.put('docs', 'guides/rocks.md', '# Rocks', 'text/markdown');
  s3.put('docs', 'guides/rocks.md.metadata.json', JSON.stringify({ metadataAttributes: { topic: 'geology' } }));
  s3.put('docs', 'guides/', '');
  s3.put('docs', 'guides/deep/notes with spaces.txt', 'spaced');
  s3.put('docs', 'other/report.txt', 'report');
  s3.put('docs', 'z-last.txt', 'last');
});

after(async () => {
  for (const created of readers) created.close();
  await s3.close();
});

describe('S3 reader', () => {
  it('lists every page through the SDK, skipping folder markers and sidecars', async () => {
    const refs = await listAll(reader());
    assert.deepEqual(
      refs.map((ref) => ref.id),
      ['s3://docs/guides/deep/notes with spaces.txt', 's3://docs/guides/rocks.md', 's3://docs/other/report.txt', 's3://docs/z-last.txt'],
    );
    assert.ok(s3.requests.filter((request) => request.includes('list-type=2')).length >= 3, `paginated: ${s3.requests.join(', ')}`);
    const rocks = refs[1]!;
    assert.equal(rocks.fileName, 'rocks.md');
    assert.equal(rocks.size, 7);
    assert.match(rocks.etag ?? '', /^[0-9a-f]{32}$/);
    assert.match(rocks.fingerprint, /^[0-9a-f]{32}\|[0-9a-f]{32}$/, 'the sidecar ETag joins the fingerprint');
    assert.equal(refs[2]!.fingerprint, refs[2]!.etag);
  });

  it('lists only the inclusion prefixes', async () => {
    assert.deepEqual((await listAll(reader({ inclusionPrefixes: ['guides/'] }))).map((ref) => ref.fileName), ['notes with spaces.txt', 'rocks.md']);
  });

  it('reads objects and their sidecar metadata through the SDK', async () => {
    const source = reader();
    const refs = await listAll(source);
    assert.equal(new TextDecoder().decode(await source.read(refs[0]!)), 'spaced');
    assert.deepEqual(await source.metadata(refs[1]!), { topic: { value: { type: 'STRING', value: 'geology' }, includeForEmbedding: false } });
    const before = s3.requests.length;
    assert.equal(await source.metadata(refs[2]!), undefined);
    assert.equal(s3.requests.length, before, 'no request for a sidecar the listing did not show');
  });

  it('reports vanished, oversized and unauthorized objects as unreadable documents', async () => {
    const source = reader({ maxFileBytes: 3 });
    const refs = await listAll(source);
    await assert.rejects(source.read(refs[0]!), { reason: 'too-large' });
    await assert.rejects(source.read({ ...refs[0]!, id: 's3://docs/gone.txt' }), { reason: 'unreadable', message: 's3://docs/gone.txt no longer exists.' });
    const wrongKey = reader({ credentials: { accessKeyId: s3.credentials.accessKeyId, secretAccessKey: 'wrong' } });
    await assert.rejects(wrongKey.read(refs[0]!), { reason: 'unreadable', message: /could not be read: The request signature we calculated does not match/ });
  });

  it('reads bucket names from bucket ARNs', () => {
    assert.equal(bucketNameFromArn('arn:aws:s3:::my-docs.bucket'), 'my-docs.bucket');
    assert.throws(() => bucketNameFromArn('arn:aws:s3:::'), /not an S3 bucket ARN/);
  });
});
