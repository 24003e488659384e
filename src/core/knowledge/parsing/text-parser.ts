import { DocumentError } from '../document-error.js';
import type { DocumentParser } from './document-parser.js';
import { decodeText, looksBinary } from './decode-text.js';
import { TextAssembler } from './text-assembler.js';

/**
 * Plain text: decoded (byte-order mark, declared charset, UTF-8, then Windows-1252), line endings
 * normalized to `\n`, paragraphs kept as they are. A file with NUL bytes is refused as binary.
 *
 * @example
 * const document = await textParser.parse({ bytes, fileName: 'notes.txt' });
 */
export const textParser: DocumentParser = {
  format: 'text',
  async parse(input) {
    if (looksBinary(input.bytes)) throw new DocumentError('corrupt', `${input.fileName} is binary, not text.`);
    const text = decodeText(input.bytes, { contentType: input.contentType }).replace(/\r\n?/g, '\n');
    const output = new TextAssembler();
    for (const paragraph of text.split(/\n[ \t]*\n/)) output.paragraph(paragraph.replace(/[ \t]+$/gm, ''));
    return { ...output.finish(), properties: { format: 'text' }, warnings: [] };
  },
};
