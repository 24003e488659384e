import type { CellValue } from 'exceljs';
import { DocumentError } from '../document-error.js';
import type { DocumentParser } from './document-parser.js';
import { recordLine } from './record-lines.js';
import { TextAssembler } from './text-assembler.js';

/**
 * XLSX workbooks (through `exceljs`): each visible sheet becomes a heading with its name and a
 * `sheet` section; the sheet's first non-empty row is its header, and every later row one line of
 * `column: value` pairs in a `row` section (spreadsheet row numbers). Formulas give their cached
 * result, dates ISO 8601 text, rich text its plain text. Columns without a header use their letter.
 *
 * @example
 * const document = await xlsxParser.parse({ bytes, fileName: 'inventory.xlsx' });
 */
export const xlsxParser: DocumentParser = {
  format: 'xlsx',
  async parse(input) {
    const { Workbook } = (await import('exceljs')).default;
    const workbook = new Workbook();
    try {
      // exceljs declares its own `Buffer` (an ArrayBuffer); JSZip reads a copy of the bytes as one.
      await workbook.xlsx.load(input.bytes.slice().buffer);
    } catch (error) {
      throw new DocumentError('corrupt', `${input.fileName} is not a valid XLSX workbook: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const output = new TextAssembler();
    const warnings: string[] = [];
    for (const sheet of workbook.worksheets) {
      if (sheet.state !== 'visible') {
        warnings.push(`sheet "${sheet.name}" is hidden and was skipped`);
        continue;
      }
      const section = output.open({ kind: 'sheet', name: sheet.name });
      output.heading(1, sheet.name);
      let header: string[] | undefined;
      sheet.eachRow((row, rowNumber) => {
        const values = rowValues(row.values);
        if (!header) {
          header = values;
          return;
        }
        const rowSection = output.open({ kind: 'row', rowNumber });
        output.line(recordLine(header, values, (index) => columnLetter(index + 1)));
        rowSection.close();
      });
      section.close();
    }
    const title = workbook.title || undefined;
    const author = workbook.creator || undefined;
    return { ...output.finish(), properties: { format: 'xlsx', ...(title ? { title } : {}), ...(author ? { author } : {}) }, warnings };
  },
};

/** exceljs gives a row as a 1-based sparse array; this returns 0-based cell texts. */
function rowValues(values: CellValue[] | Record<string, CellValue>): string[] {
  const cells = Array.isArray(values) ? values.slice(1) : Object.values(values);
  return Array.from(cells, (cell) => cellText(cell));
}

function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return formatDate(value);
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as CellValue);
  if ('error' in value) return value.error;
  if ('result' in value) return cellText(value.result as CellValue);
  return '';
}

function formatDate(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

function columnLetter(column: number): string {
  let letters = '';
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}
