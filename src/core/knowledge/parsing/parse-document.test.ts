import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makePdf } from '../../../../test/support/document-fixtures.js';
import { detectFormat, parseDocument } from './parse-document.js';

describe('parseDocument', () => {
  it('tells the format from a specific content type, then the extension, then the PDF signature', () => {
    assert.equal(detectFormat('notes', 'text/markdown; charset=utf-8'), 'markdown');
    assert.equal(detectFormat('REPORT.PDF', 'application/octet-stream'), 'pdf');
    assert.equal(detectFormat('page.htm'), 'html');
    assert.equal(detectFormat('download', undefined, makePdf([['x']])), 'pdf');
    assert.equal(detectFormat('legacy.doc'), undefined);
  });

  it('refuses files over the size limit before parsing them', async () => {
    const outcome = await parseDocument({ bytes: new Uint8Array(11), fileName: 'big.txt' }, { maxBytes: 10 });
    assert.deepEqual(outcome, { ok: false, reason: 'too-large', message: 'big.txt is 11 bytes, over the 10-byte limit.' });
  });

  it('uses a replacement parser, and turns its unexpected errors into a corrupt outcome', async () => {
    const outcome = await parseDocument(
      { bytes: new Uint8Array(1), fileName: 'a.txt' },
      { parsers: { text: { format: 'text', parse: async () => { throw new TypeError('boom'); } } } },
    );
    assert.deepEqual(outcome, { ok: false, reason: 'corrupt', message: 'a.txt could not be parsed: boom' });
  });

  it('rethrows when the caller aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await assert.rejects(parseDocument({ bytes: makePdf([['a'], ['b']]), fileName: 'a.pdf', abortSignal: controller.signal }), /stopped/);
  });
});
