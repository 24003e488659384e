import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeXlsx } from '../../../../test/support/document-fixtures.js';
import { parseDocument } from './parse-document.js';
import { xlsxParser } from './xlsx-parser.js';

describe('XLSX parser', () => {
  it('writes each visible sheet under its name, rows as column: value lines', async () => {
    const bytes = await makeXlsx(
      {
        Inventory: [
          ['Rock', 'Count', 'Checked', null],
          ['Granite', 12, true, 'shelf 3'],
          ['Basalt', 4, false, null],
        ],
        Log: [
          ['Date', 'Event'],
          [new Date(Date.UTC(2024, 2, 5)), 'delivery'],
        ],
        Scratch: [['ignored']],
      },
      { hidden: ['Scratch'] },
    );
    const document = await xlsxParser.parse({ bytes, fileName: 'inventory.xlsx' });
    assert.equal(
      document.text,
      'Inventory\n\nRock: Granite; Count: 12; Checked: true; D: shelf 3\nRock: Basalt; Count: 4; Checked: false\n\nLog\n\nDate: 2024-03-05; Event: delivery',
    );
    assert.deepEqual(document.warnings, ['sheet "Scratch" is hidden and was skipped']);
    assert.equal(document.properties.author, 'Outcrop tests');
    const labels = document.sections.map((section) =>
      section.kind === 'sheet' ? `sheet ${section.name}` : section.kind === 'row' ? `row ${section.rowNumber}` : `${section.kind} ${section.kind === 'heading' ? section.title : ''}`,
    );
    assert.deepEqual(labels, ['sheet Inventory', 'heading Inventory', 'row 2', 'row 3', 'sheet Log', 'heading Log', 'row 2']);
    const row = document.sections.find((section) => section.kind === 'row' && section.rowNumber === 3)!;
    assert.equal(document.text.slice(row.start, row.end), 'Rock: Basalt; Count: 4; Checked: false');
  });

  it('fails something that is not a workbook as corrupt', async () => {
    const outcome = await parseDocument({ bytes: new TextEncoder().encode('not a zip at all'), fileName: 'fake.xlsx' });
    assert.equal(!outcome.ok && outcome.reason, 'corrupt');
    assert.match(!outcome.ok ? outcome.message : '', /^fake\.xlsx is not a valid XLSX workbook: /);
  });
});
