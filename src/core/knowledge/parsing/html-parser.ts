import type { DocumentParser } from './document-parser.js';
import { decodeText } from './decode-text.js';
import { readHtml } from './html-content.js';

/**
 * HTML: the readable text (scripts, styles, navigation and hidden elements dropped), paragraph
 * breaks, heading sections, the `<title>` and the page's `lang`.
 *
 * @example
 * const document = await htmlParser.parse({ bytes, fileName: 'index.html' });
 */
export const htmlParser: DocumentParser = {
  format: 'html',
  async parse(input) {
    const content = readHtml(decodeText(input.bytes, { contentType: input.contentType, sniffHtml: true }));
    return {
      text: content.text,
      sections: content.sections,
      properties: { format: 'html', ...(content.title ? { title: content.title } : {}), ...(content.language ? { language: content.language } : {}) },
      warnings: [],
    };
  },
};
