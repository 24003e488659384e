import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makePdf } from '../../../../test/support/document-fixtures.js';
import { DocumentError } from '../document-error.js';
import { parseDocument } from './parse-document.js';
import { pdfParser } from './pdf-parser.js';

describe('PDF parser', () => {
  it('extracts each page into a page section, with the title and author', async () => {
    const bytes = makePdf(
      [
        ['Granite is an igneous rock.', 'It forms from slowly cooling magma.'],
        ['Basalt is fine-grained and igne-', 'ous, formed from lava.'],
      ],
      { title: 'Rocks of the world', author: 'A. Geologist' },
    );
    const document = await pdfParser.parse({ bytes, fileName: 'rocks.pdf' });
    assert.equal(document.text, 'Granite is an igneous rock.\nIt forms from slowly cooling magma.\n\nBasalt is fine-grained and igneous, formed from lava.');
    assert.deepEqual(document.properties, { format: 'pdf', pageCount: 2, title: 'Rocks of the world', author: 'A. Geologist' });
    const pages = document.sections.filter((section) => section.kind === 'page');
    assert.deepEqual(
      pages.map((page) => [page.kind === 'page' && page.pageNumber, document.text.slice(page.start, page.end)]),
      [
        [1, 'Granite is an igneous rock.\nIt forms from slowly cooling magma.'],
        [2, 'Basalt is fine-grained and igneous, formed from lava.'],
      ],
    );
  });

  it('leaves the caller\'s bytes usable (PDF.js detaches what it is given)', async () => {
    const bytes = makePdf([['once']]);
    await pdfParser.parse({ bytes, fileName: 'a.pdf' });
    assert.equal(bytes.byteLength > 0, true);
    assert.equal((await pdfParser.parse({ bytes, fileName: 'a.pdf' })).text, 'once');
  });

  it('fails a corrupt file as corrupt, with the reason', async () => {
    const truncated = makePdf([['cut short']]).slice(0, 200);
    await assert.rejects(pdfParser.parse({ bytes: truncated, fileName: 'broken.pdf' }), (error: unknown) => {
      assert.ok(DocumentError.isInstance(error));
      assert.equal(error.reason, 'corrupt');
      assert.match(error.message, /^broken\.pdf is not a valid PDF: /);
      return true;
    });
    const outcome = await parseDocument({ bytes: new TextEncoder().encode('%PDF-1.7 this is not a PDF'), fileName: 'fake.pdf' });
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.reason, 'corrupt');
  });

  it('reports a PDF with no text layer as empty', async () => {
    const outcome = await parseDocument({ bytes: makePdf([[]]), fileName: 'scan.pdf' });
    assert.deepEqual(outcome, { ok: false, reason: 'empty', message: 'scan.pdf has no text to index.' });
  });
});
