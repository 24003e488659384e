import type { DocumentSection } from './parsed-document.js';

type HeadingSection = Extract<DocumentSection, { kind: 'heading' }>;
/** How sections with the same span nest: a page or sheet holds headings, which hold rows. */
const kindOrder: Record<DocumentSection['kind'], number> = { page: 0, sheet: 1, heading: 2, row: 3 };

/** A page, sheet or row section before its offsets are known. */
export type SectionLabel = { kind: 'page'; pageNumber: number } | { kind: 'sheet'; name: string } | { kind: 'row'; rowNumber: number };

/**
 * Builds a document's text block by block and records section offsets as it goes, so every parser
 * lays text out the same way: blocks separated by a blank line (`paragraph`, `heading`) or a line
 * break (`line`), no leading or trailing whitespace, and sections that span exactly their text.
 *
 * @example
 * const text = new TextAssembler();
 * text.heading(1, 'Granite');
 * text.paragraph('An igneous rock.');
 * const { text: body, sections } = text.finish();
 */
export class TextAssembler {
  private readonly parts: string[] = [];
  private length = 0;
  /** start offset of each block added */
  private readonly blockStarts: number[] = [];
  private readonly sections: DocumentSection[] = [];
  private readonly openHeadings: HeadingSection[] = [];
  private lastWasLine = false;

  /** Adds a block after a blank line. Whitespace-only text adds nothing. */
  paragraph(text: string): void {
    this.append(text, '\n\n');
  }

  /**
   * Adds a block after a single line break (list items, table rows, records). The first line after
   * a paragraph or heading, or one that `startsGroup` (a second list), comes after a blank line.
   */
  line(text: string, startsGroup = false): void {
    this.append(text, this.lastWasLine && !startsGroup ? '\n' : '\n\n');
    if (text.trim()) this.lastWasLine = true;
  }

  /** Adds a heading and opens its section, closing open headings of the same or a deeper level. */
  heading(level: number, title: string): void {
    const trimmed = title.replace(/\s+/g, ' ').trim();
    if (!trimmed) return;
    this.closeHeadings(level);
    const start = this.append(trimmed, '\n\n');
    const section: HeadingSection = { kind: 'heading', level, title: trimmed, start, end: this.length };
    this.sections.push(section);
    this.openHeadings.push(section);
  }

  /**
   * Opens a page, sheet or row section at the next block; `close()` ends it after the last block
   * added. A section that received no text is dropped.
   */
  open(section: SectionLabel): { close(): void } {
    const firstBlock = this.blockStarts.length;
    return {
      close: () => {
        const start = this.blockStarts[firstBlock];
        if (start === undefined) return;
        this.sections.push({ ...section, start, end: this.length });
      },
    };
  }

  finish(): { text: string; sections: DocumentSection[] } {
    this.closeHeadings(0);
    const sections = [...this.sections].sort((a, b) => a.start - b.start || b.end - a.end || kindOrder[a.kind] - kindOrder[b.kind]);
    return { text: this.parts.join(''), sections };
  }

  private append(text: string, separator: string): number {
    const trimmed = text.trim();
    if (!trimmed) return this.length;
    if (this.length > 0) this.push(separator);
    this.lastWasLine = false;
    const start = this.length;
    this.blockStarts.push(start);
    this.push(trimmed);
    for (const heading of this.openHeadings) heading.end = this.length;
    return start;
  }

  private push(part: string): void {
    this.parts.push(part);
    this.length += part.length;
  }

  private closeHeadings(level: number): void {
    let last = this.openHeadings[this.openHeadings.length - 1];
    while (last && last.level >= level) {
      this.openHeadings.pop();
      last = this.openHeadings[this.openHeadings.length - 1];
    }
  }
}
