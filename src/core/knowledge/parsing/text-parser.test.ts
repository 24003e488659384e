import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from './parse-document.js';
import { textParser } from './text-parser.js';

describe('text parser', () => {
  it('normalizes line endings and keeps paragraphs', async () => {
    const document = await textParser.parse({ bytes: new TextEncoder().encode('  First line\r\nsecond line   \r\n\r\n\r\nNext paragraph.\n'), fileName: 'a.txt' });
    assert.equal(document.text, 'First line\nsecond line\n\nNext paragraph.');
    assert.deepEqual(document.sections, []);
  });

  it('reads UTF-16 with a byte-order mark and Windows-1252 without one', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('h\u00e9llo', 'utf16le')]);
    assert.equal((await textParser.parse({ bytes: utf16, fileName: 'a.txt' })).text, 'h\u00e9llo');
    assert.equal((await textParser.parse({ bytes: new Uint8Array([0x63, 0x61, 0x66, 0xe9]), fileName: 'a.txt' })).text, 'caf\u00e9');
  });

  it('refuses binary content and unknown types, and empty files', async () => {
    assert.deepEqual(await parseDocument({ bytes: new Uint8Array([0x41, 0, 0x42]), fileName: 'a.txt' }), { ok: false, reason: 'corrupt', message: 'a.txt is binary, not text.' });
    const unknown = await parseDocument({ bytes: new Uint8Array([1, 2]), fileName: 'photo.jpg', contentType: 'image/jpeg' });
    assert.equal(!unknown.ok && unknown.reason, 'unsupported-format');
    assert.match(!unknown.ok ? unknown.message : '', /photo\.jpg \(image\/jpeg\) is not a supported file type/);
    const empty = await parseDocument({ bytes: new TextEncoder().encode(' \n\n '), fileName: 'blank.txt' });
    assert.equal(!empty.ok && empty.reason, 'empty');
  });
});
