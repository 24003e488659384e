import { DocumentError } from '../document-error.js';
import type { DocumentParser } from './document-parser.js';
import { readHtml } from './html-content.js';

/** The first bytes of an OLE compound file: legacy `.doc`, or an encrypted Office document. */
const compoundFileSignature = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * DOCX (through `mammoth`, which maps Word's styles to HTML): paragraphs, lists and tables as text,
 * Heading 1–6 styles as heading sections. An encrypted document (or a legacy `.doc` renamed) fails
 * as `encrypted`, a damaged archive as `corrupt`.
 *
 * @example
 * const document = await docxParser.parse({ bytes, fileName: 'handbook.docx' });
 */
export const docxParser: DocumentParser = {
  format: 'docx',
  async parse(input) {
    if (compoundFileSignature.every((byte, index) => input.bytes[index] === byte)) {
      throw new DocumentError('encrypted', `${input.fileName} is an encrypted Office document or a legacy .doc file, which Outcrop does not read.`);
    }
    const mammoth = (await import('mammoth')).default;
    let html: string;
    let messages: { type: string; message: string }[];
    try {
      ({ value: html, messages } = await mammoth.convertToHtml({ buffer: Buffer.from(input.bytes) }));
    } catch (error) {
      throw new DocumentError('corrupt', `${input.fileName} is not a valid DOCX document: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const content = readHtml(html);
    const title = content.sections.find((section) => section.kind === 'heading' && section.level === 1);
    return {
      text: content.text,
      sections: content.sections,
      properties: { format: 'docx', ...(title?.kind === 'heading' ? { title: title.title } : {}) },
      warnings: messages.filter((message) => message.type !== 'info').map((message) => message.message),
    };
  },
};
