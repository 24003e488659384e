import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeDocx } from '../../../../test/support/document-fixtures.js';
import { docxParser } from './docx-parser.js';
import { parseDocument } from './parse-document.js';

describe('DOCX parser', () => {
  it('reads paragraphs, heading styles and tables', async () => {
    const bytes = makeDocx([
      { heading: 1, text: 'Employee handbook' },
      'Welcome to the company.',
      { heading: 2, text: 'Leave' },
      'Employees get 25 days of leave.',
      { table: [['Grade', 'Days'], ['A', '25']] },
    ]);
    const document = await docxParser.parse({ bytes, fileName: 'handbook.docx' });
    assert.equal(document.text, 'Employee handbook\n\nWelcome to the company.\n\nLeave\n\nEmployees get 25 days of leave.\n\nGrade | Days\nA | 25');
    assert.equal(document.properties.title, 'Employee handbook');
    const headings = document.sections.flatMap((section) => (section.kind === 'heading' ? [[section.level, section.title]] : []));
    assert.deepEqual(headings, [
      [1, 'Employee handbook'],
      [2, 'Leave'],
    ]);
  });

  it('fails a damaged archive as corrupt and an encrypted document as encrypted', async () => {
    const damaged = await parseDocument({ bytes: makeDocx(['text']).slice(0, 100), fileName: 'damaged.docx' });
    assert.equal(!damaged.ok && damaged.reason, 'corrupt');
    assert.match(!damaged.ok ? damaged.message : '', /^damaged\.docx is not a valid DOCX document: /);
    const encrypted = await parseDocument({ bytes: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), fileName: 'secret.docx' });
    assert.equal(!encrypted.ok && encrypted.reason, 'encrypted');
  });
});
