import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvParser } from './csv-parser.js';
import { parseDocument } from './parse-document.js';

const encode = (text: string) => new TextEncoder().encode(text);

describe('CSV parser', () => {
  it('writes each record as a line of column: value pairs in a numbered row section', async () => {
    const csv = '\ufeffname,type,hardness\r\nGranite,igneous,6\r\n"Marble, white",metamorphic,3\r\n\r\nChalk,,1\r\n';
    const document = await csvParser.parse({ bytes: encode(csv), fileName: 'rocks.csv' });
    assert.equal(document.text, 'name: Granite; type: igneous; hardness: 6\nname: Marble, white; type: metamorphic; hardness: 3\nname: Chalk; hardness: 1');
    const rows = document.sections.flatMap((section) => (section.kind === 'row' ? [[section.rowNumber, document.text.slice(section.start, section.end)]] : []));
    assert.deepEqual(rows, [
      [2, 'name: Granite; type: igneous; hardness: 6'],
      [3, 'name: Marble, white; type: metamorphic; hardness: 3'],
      [4, 'name: Chalk; hardness: 1'],
    ]);
  });

  it('names columns without a header, and keeps a header-only file', async () => {
    assert.equal((await csvParser.parse({ bytes: encode('a,b\n1,2,3\n'), fileName: 'x.csv' })).text, 'a: 1; b: 2; column 3: 3');
    assert.equal((await csvParser.parse({ bytes: encode('a,b\n'), fileName: 'x.csv' })).text, 'a; b');
  });

  it('fails unbalanced quotes as corrupt, naming the problem', async () => {
    const outcome = await parseDocument({ bytes: encode('a,b\n"open,1\n'), fileName: 'bad.csv' });
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.reason, 'corrupt');
    assert.match(!outcome.ok ? outcome.message : '', /^bad\.csv is not valid CSV: .*quote/i);
  });
});
