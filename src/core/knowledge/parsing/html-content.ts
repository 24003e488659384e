import { Parser } from 'htmlparser2';
import type { DocumentSection } from './parsed-document.js';
import { TextAssembler } from './text-assembler.js';

/** The readable content of an HTML page, and what a crawler needs from it. */
export interface HtmlContent {
  text: string;
  sections: DocumentSection[];
  title?: string;
  language?: string;
  /** `href`s of links and areas, as written (resolve them against `baseHref` or the page URL) */
  links: string[];
  baseHref?: string;
  /** from `<meta name="robots">` */
  robots: { noindex: boolean; nofollow: boolean };
}

/** Elements whose content is not the page's text. */
const skipped = new Set(['script', 'style', 'noscript', 'template', 'nav', 'svg', 'math', 'iframe', 'object', 'canvas', 'select', 'button']);
/** Elements that end the current block. */
const blocks = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'header', 'hr', 'html', 'li', 'main', 'ol', 'p', 'section', 'summary', 'table', 'tr', 'ul',
]);
/** Blocks that end with a line break rather than a blank line (after the first of their group). */
const lines = new Set(['li', 'tr', 'dt', 'dd']);
/** Elements whose line-blocks form one group, set off from the text around it by a blank line. */
const groups = new Set(['ul', 'ol', 'dl', 'table']);
const headingLevel: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

/**
 * Reads HTML into text with paragraph breaks and heading sections, dropping scripts, styles,
 * navigation and hidden elements; table cells are joined with ` | `, one row per line. Mammoth's
 * DOCX output goes through here too.
 *
 * @example
 * const { text, title, links } = readHtml('<title>Rocks</title><h1>Granite</h1><p>Igneous.</p>');
 */
export function readHtml(html: string): HtmlContent {
  const output = new TextAssembler();
  const links: string[] = [];
  const result: Omit<HtmlContent, 'text' | 'sections' | 'links'> = { robots: { noindex: false, nofollow: false } };
  let inline = '';
  let skipDepth = 0;
  let preDepth = 0;
  let titleText: string | undefined;
  let heading: { level: number; text: string } | undefined;
  /** per open table row: whether a cell has started */
  const cellStarts: boolean[] = [];
  let cellDepth = 0;
  /** the next line-block starts a new group (blank line before it) */
  let groupStart = true;

  const flush = (asLine: boolean): void => {
    const text = preDepth > 0 ? inline.replace(/^\n+|\s+$/g, '') : tidy(inline);
    inline = '';
    if (!text) return;
    if (asLine) output.line(text, groupStart);
    else output.paragraph(text);
    groupStart = !asLine;
  };
  const block = (name: string): void => {
    if (cellDepth > 0) inline += ' ';
    else flush(lines.has(name));
    if (groups.has(name)) groupStart = true;
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'a' || name === 'area') {
          if (attributes.href) links.push(attributes.href);
        } else if (name === 'base' && attributes.href && result.baseHref === undefined) {
          result.baseHref = attributes.href;
        } else if (name === 'meta' && attributes.name?.toLowerCase() === 'robots') {
          const directives = (attributes.content ?? '').toLowerCase();
          result.robots.noindex ||= /\b(noindex|none)\b/.test(directives);
          result.robots.nofollow ||= /\b(nofollow|none)\b/.test(directives);
        } else if (name === 'html' && attributes.lang) {
          result.language = attributes.lang;
        }
        if (skipDepth > 0 || skipped.has(name) || 'hidden' in attributes || attributes['aria-hidden'] === 'true') {
          skipDepth++;
          return;
        }
        if (name === 'title') titleText = '';
        else if (name === 'br') inline += '\n';
        else if (name in headingLevel) {
          flush(false);
          heading = { level: headingLevel[name] ?? 1, text: '' };
        } else if (name === 'pre') {
          flush(false);
          preDepth++;
        } else if (name === 'td' || name === 'th') {
          if (cellStarts[cellStarts.length - 1]) inline += ' | ';
          cellStarts[cellStarts.length - 1] = true;
          cellDepth++;
        } else if (name === 'tr') {
          flush(true);
          cellStarts.push(false);
        } else if (blocks.has(name)) block(name);
      },
      ontext(text) {
        if (skipDepth > 0) return;
        if (titleText !== undefined) titleText += text;
        else if (heading) heading.text += text;
        else inline += preDepth > 0 ? text : text.replace(/\s+/g, ' ');
      },
      onclosetag(name) {
        if (skipDepth > 0) {
          skipDepth--;
          return;
        }
        if (name === 'title' && titleText !== undefined) {
          result.title ??= tidy(titleText) || undefined;
          titleText = undefined;
        } else if (name in headingLevel && heading) {
          output.heading(heading.level, heading.text);
          heading = undefined;
        } else if (name === 'pre') {
          flush(false);
          preDepth = Math.max(0, preDepth - 1);
        } else if (name === 'td' || name === 'th') {
          cellDepth = Math.max(0, cellDepth - 1);
        } else if (name === 'tr') {
          flush(true);
          cellStarts.pop();
        } else if (blocks.has(name)) block(name);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  flush(false);
  return { ...output.finish(), ...result, links };
}

/** Collapses runs of spaces, keeps explicit line breaks, drops blank lines. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}
