import type { Token, Tokens } from 'marked';
import type { DocumentParser } from './document-parser.js';
import { decodeText } from './decode-text.js';
import { readHtml } from './html-content.js';
import { TextAssembler } from './text-assembler.js';

/**
 * Markdown (CommonMark and GitHub tables, through `marked`'s lexer): syntax removed, headings kept
 * as heading sections, list items and table rows one per line, code blocks verbatim, link text
 * kept and URLs dropped. A YAML front-matter block is removed; its `title` becomes the title, else
 * the first level-1 heading does.
 *
 * @example
 * const document = await markdownParser.parse({ bytes, fileName: 'guide.md' });
 */
export const markdownParser: DocumentParser = {
  format: 'markdown',
  async parse(input) {
    const { Lexer } = await import('marked');
    let source = decodeText(input.bytes, { contentType: input.contentType }).replace(/\r\n?/g, '\n');
    let title: string | undefined;
    const frontMatter = /^---\n([\s\S]*?)\n(?:---|\.\.\.)\n/.exec(source);
    if (frontMatter) {
      title = /^title:\s*["']?(.+?)["']?\s*$/m.exec(frontMatter[1] ?? '')?.[1];
      source = source.slice(frontMatter[0].length);
    }
    const output = new TextAssembler();
    const tokens = new Lexer({ gfm: true }).lex(source);
    for (const token of tokens) {
      if (token.type === 'heading' && (token as Tokens.Heading).depth === 1) title ??= inlineText((token as Tokens.Heading).tokens);
    }
    writeBlocks(tokens, output);
    return { ...output.finish(), properties: { format: 'markdown', ...(title ? { title } : {}) }, warnings: [] };
  },
};

function writeBlocks(tokens: Token[], output: TextAssembler): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading':
        output.heading((token as Tokens.Heading).depth, inlineText((token as Tokens.Heading).tokens));
        break;
      case 'paragraph':
        output.paragraph(inlineText((token as Tokens.Paragraph).tokens));
        break;
      case 'text':
        output.paragraph(token.tokens ? inlineText(token.tokens) : decodeEntities((token as Tokens.Text).text));
        break;
      case 'code':
        output.paragraph((token as Tokens.Code).text);
        break;
      case 'blockquote':
        writeBlocks((token as Tokens.Blockquote).tokens, output);
        break;
      case 'list':
        for (const [index, item] of (token as Tokens.List).items.entries()) writeListItem(item, index === 0, output);
        break;
      case 'table': {
        const table = token as Tokens.Table;
        output.line(table.header.map((cell) => inlineText(cell.tokens)).join(' | '), true);
        for (const row of table.rows) output.line(row.map((cell) => inlineText(cell.tokens)).join(' | '));
        break;
      }
      case 'html':
        output.paragraph(readHtml((token as Tokens.HTML).text).text);
        break;
      default:
        // space, hr, def: no text
        break;
    }
  }
}

/** One list item per line; the list's first item starts a new block. */
function writeListItem(item: Tokens.ListItem, isFirst: boolean, output: TextAssembler): void {
  const [first, ...rest] = item.tokens;
  if (first && (first.type === 'text' || first.type === 'paragraph')) {
    const text = first.tokens ? inlineText(first.tokens) : decodeEntities(first.raw);
    output.line(text, isFirst);
    writeBlocks(rest, output);
  } else {
    writeBlocks(item.tokens, output);
  }
}

function inlineText(tokens: Token[]): string {
  let text = '';
  for (const token of tokens) {
    switch (token.type) {
      case 'br':
        text += '\n';
        break;
      case 'image':
        text += (token as Tokens.Image).text;
        break;
      case 'html':
        break;
      case 'codespan':
        text += decodeEntities((token as Tokens.Codespan).text);
        break;
      case 'checkbox':
        break;
      default: {
        const nested = (token as Tokens.Generic).tokens;
        text += nested ? inlineText(nested) : decodeEntities('text' in token ? String(token.text) : token.raw);
      }
    }
  }
  return text;
}

const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references Markdown leaves in text (`&amp;`, `&#233;`, `&#xE9;`). */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return namedEntities[name.toLowerCase()] ?? whole;
  });
}
