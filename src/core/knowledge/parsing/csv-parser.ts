import { DocumentError } from '../document-error.js';
import type { DocumentParser } from './document-parser.js';
import { decodeText, looksBinary } from './decode-text.js';
import { recordLine } from './record-lines.js';
import { TextAssembler } from './text-assembler.js';

/**
 * CSV (RFC 4180 through `csv-parse`): the first record is the header, and every other record
 * becomes one line of `column: value` pairs in a `row` section numbered as a spreadsheet would
 * (the header is row 1). A file with unbalanced quotes is refused as corrupt, naming the line.
 *
 * @example
 * const document = await csvParser.parse({ bytes, fileName: 'rocks.csv' });
 */
export const csvParser: DocumentParser = {
  format: 'csv',
  async parse(input) {
    if (looksBinary(input.bytes)) throw new DocumentError('corrupt', `${input.fileName} is binary, not CSV.`);
    const { parse } = await import('csv-parse/sync');
    let records: string[][];
    try {
      records = parse(decodeText(input.bytes, { contentType: input.contentType }), {
        relax_column_count: true,
        skip_empty_lines: true,
        skip_records_with_empty_values: true,
      }) as string[][];
    } catch (error) {
      throw new DocumentError('corrupt', `${input.fileName} is not valid CSV: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const [header = [], ...rows] = records;
    const output = new TextAssembler();
    rows.forEach((row, index) => {
      const section = output.open({ kind: 'row', rowNumber: index + 2 });
      output.line(recordLine(header, row));
      section.close();
    });
    if (rows.length === 0) output.line(header.join('; '));
    return { ...output.finish(), properties: { format: 'csv' }, warnings: [] };
  },
};
