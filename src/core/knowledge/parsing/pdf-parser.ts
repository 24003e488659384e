import { DocumentError } from '../document-error.js';
import type { DocumentParser } from './document-parser.js';
import { TextAssembler } from './text-assembler.js';

interface TextItem {
  str?: string;
  hasEOL?: boolean;
}

/**
 * PDF (PDF.js through `unpdf`, pure JavaScript, no native code): the text layer of each page in a
 * `page` section, lines as PDF.js reports them, words hyphenated across a line break rejoined. The
 * document's Title and Author become its properties. A password-protected file fails as
 * `encrypted`, an unreadable one as `corrupt`; a scanned PDF has no text layer and fails as `empty`
 * (Outcrop does no OCR).
 *
 * @example
 * const document = await pdfParser.parse({ bytes, fileName: 'report.pdf' });
 */
export const pdfParser: DocumentParser = {
  format: 'pdf',
  async parse(input) {
    const { getDocumentProxy } = await import('unpdf');
    let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
    try {
      // PDF.js takes ownership of (detaches) the buffer it is given: hand it a copy.
      pdf = await getDocumentProxy(new Uint8Array(input.bytes), { verbosity: 0, isEvalSupported: false, stopAtErrors: false });
    } catch (error) {
      const name = (error as { name?: string } | undefined)?.name;
      const detail = error instanceof Error ? error.message : String(error);
      if (name === 'PasswordException') throw new DocumentError('encrypted', `${input.fileName} is password-protected.`, { cause: error });
      throw new DocumentError('corrupt', `${input.fileName} is not a valid PDF: ${detail}`, { cause: error });
    }
    try {
      const output = new TextAssembler();
      for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber++) {
        input.abortSignal?.throwIfAborted();
        const page = await pdf.getPage(pageNumber);
        const content = await page.getTextContent();
        const section = output.open({ kind: 'page', pageNumber });
        output.paragraph(pageText(content.items as TextItem[]));
        section.close();
        page.cleanup();
      }
      const info = ((await pdf.getMetadata().catch(() => undefined))?.info ?? {}) as { Title?: unknown; Author?: unknown; Language?: unknown };
      const title = typeof info.Title === 'string' && info.Title.trim() ? info.Title.trim() : undefined;
      const author = typeof info.Author === 'string' && info.Author.trim() ? info.Author.trim() : undefined;
      const language = typeof info.Language === 'string' && info.Language ? info.Language : undefined;
      return {
        ...output.finish(),
        properties: { format: 'pdf', pageCount: pdf.numPages, ...(title ? { title } : {}), ...(author ? { author } : {}), ...(language ? { language } : {}) },
        warnings: [],
      };
    } catch (error) {
      if (input.abortSignal?.aborted || DocumentError.isInstance(error)) throw error;
      throw new DocumentError('corrupt', `${input.fileName} could not be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      await pdf.destroy();
    }
  },
};

/** Joins a page's text items into lines and rejoins words hyphenated across lines. */
function pageText(items: TextItem[]): string {
  let text = '';
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    text += item.str;
    if (item.hasEOL) text += '\n';
  }
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .replace(/(\p{L})-\n(\p{Ll})/gu, '$1$2')
    .replace(/\n{3,}/g, '\n\n');
}
