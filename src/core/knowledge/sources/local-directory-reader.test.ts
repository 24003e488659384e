import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DocumentRef } from './data-source-reader.js';
import { createLocalDirectoryReader } from './local-directory-reader.js';

let root: string;
let outside: string;

async function listAll(reader: ReturnType<typeof createLocalDirectoryReader>): Promise<DocumentRef[]> {
  const refs: DocumentRef[] = [];
  for await (const ref of reader.list()) refs.push(ref);
  return refs;
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'outcrop-local-'));
  outside = await mkdtemp(join(tmpdir(), 'outcrop-outside-'));
  await mkdir(join(root, 'guides/deep'), { recursive: true });
  await mkdir(join(root, 'drafts'));
  await writeFile(join(root, 'readme.md'), '# Read me');
  await writeFile(join(root, 'readme.md.metadata.json'), JSON.stringify({ metadataAttributes: { year: 2024 } }));
  await writeFile(join(root, 'guides/rocks.txt'), 'Granite.');
  await writeFile(join(root, 'guides/deep/table.csv'), 'a,b\n1,2');
  await writeFile(join(root, 'drafts/wip.txt'), 'not yet');
  await writeFile(join(root, 'bad.txt'), 'x');
  await writeFile(join(root, 'bad.txt.metadata.json'), '{"metadataAttributes": {"k": null}}');
  await writeFile(join(outside, 'secret.txt'), 'secret');
  await symlink(join(outside, 'secret.txt'), join(root, 'link-out.txt'));
  await symlink(join(root, 'guides/rocks.txt'), join(root, 'link-in.txt'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('local directory reader', () => {
  it('lists files recursively in name order with relative ids, skipping sidecars and symbolic links', async () => {
    const refs = await listAll(createLocalDirectoryReader({ root }));
    assert.deepEqual(
      refs.map((ref) => ref.id),
      ['bad.txt', 'drafts/wip.txt', 'guides/deep/table.csv', 'guides/rocks.txt', 'readme.md'],
    );
    const readme = refs.find((ref) => ref.id === 'readme.md')!;
    assert.equal(readme.fileName, 'readme.md');
    assert.equal(readme.size, 9);
    assert.match(readme.uri, /^file:\/\/.*\/readme\.md$/);
    assert.match(readme.fingerprint, /^9:[\d.]+\|\d+:[\d.]+$/, 'the sidecar is part of the fingerprint');
  });

  it('applies inclusion and exclusion globs, exclusion winning', async () => {
    const reader = createLocalDirectoryReader({ root, inclusionPatterns: ['**/*.txt', '**/*.csv'], exclusionPatterns: ['drafts/**', 'guides/deep/**'] });
    assert.deepEqual((await listAll(reader)).map((ref) => ref.id), ['bad.txt', 'guides/rocks.txt']);
  });

  it('follows links inside the folder only when asked, and never those leaving it', async () => {
    const ids = (await listAll(createLocalDirectoryReader({ root, followSymlinks: true }))).map((ref) => ref.id);
    assert.ok(ids.includes('link-in.txt'));
    assert.ok(!ids.includes('link-out.txt'));
  });

  it('reads bytes and sidecar metadata; a document without sidecar has none', async () => {
    const reader = createLocalDirectoryReader({ root });
    const refs = await listAll(reader);
    const readme = refs.find((ref) => ref.id === 'readme.md')!;
    assert.equal(new TextDecoder().decode(await reader.read(readme)), '# Read me');
    assert.deepEqual(await reader.metadata(readme), { year: { value: { type: 'NUMBER', value: 2024 }, includeForEmbedding: false } });
    assert.equal(await reader.metadata(refs.find((ref) => ref.id === 'guides/rocks.txt')!), undefined);
    await assert.rejects(reader.metadata(refs.find((ref) => ref.id === 'bad.txt')!), { reason: 'invalid-metadata', message: /bad\.txt\.metadata\.json is invalid/ });
  });

  it('changes the fingerprint when a sidecar changes', async () => {
    const reader = createLocalDirectoryReader({ root });
    const before = (await listAll(reader)).find((ref) => ref.id === 'readme.md')!.fingerprint;
    const later = new Date(Date.now() + 5000);
    await utimes(join(root, 'readme.md.metadata.json'), later, later);
    const after = (await listAll(reader)).find((ref) => ref.id === 'readme.md')!.fingerprint;
    assert.notEqual(after, before);
  });

  it('refuses ids that leave the folder, missing files, and files over the size limit', async () => {
    const reader = createLocalDirectoryReader({ root, maxFileBytes: 8 });
    const ref = (id: string): DocumentRef => ({ id, uri: '', fileName: id, fingerprint: '' });
    await assert.rejects(reader.read(ref('../' + outside.split('/').pop() + '/secret.txt')), { reason: 'unreadable' });
    await assert.rejects(reader.read(ref('link-out.txt')), { reason: 'unreadable', message: /outside the data source's folder/ });
    await assert.rejects(reader.read(ref('gone.txt')), { reason: 'unreadable', message: /gone\.txt could not be read/ });
    await assert.rejects(reader.read(ref('readme.md')), { reason: 'too-large' });
  });
});
