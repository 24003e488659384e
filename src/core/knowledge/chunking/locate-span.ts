import type { DocumentSection } from '../parsing/parsed-document.js';

/** Where a chunk sits in its document, for citations and for filters on page numbers. */
export interface ChunkLocation {
  /** the page the chunk starts on (PDF) */
  pageNumber?: number;
  /** the page it ends on, when it crosses pages */
  lastPageNumber?: number;
  /** the headings the chunk starts under, outermost first */
  headings?: string[];
  /** the sheet (XLSX) */
  sheet?: string;
  /** the first and last table rows (CSV, XLSX), spreadsheet-numbered */
  firstRowNumber?: number;
  lastRowNumber?: number;
}

/**
 * The location of the text span `[start, end)`: the pages and rows it overlaps, the sheet and the
 * headings it starts in.
 *
 * @example
 * locateSpan(document.sections, 120, 480) // { pageNumber: 2, headings: ['Igneous rocks', 'Basalt'] }
 */
export function locateSpan(sections: readonly DocumentSection[], start: number, end: number): ChunkLocation {
  const location: ChunkLocation = {};
  const headings: { level: number; title: string }[] = [];
  for (const section of sections) {
    if (section.start >= end) break; // sections are sorted by start
    if (section.end <= start) continue;
    switch (section.kind) {
      case 'page':
        location.pageNumber ??= section.pageNumber;
        if (section.pageNumber !== location.pageNumber) location.lastPageNumber = section.pageNumber;
        break;
      case 'sheet':
        location.sheet ??= section.name;
        break;
      case 'row':
        location.firstRowNumber ??= section.rowNumber;
        location.lastRowNumber = section.rowNumber;
        break;
      case 'heading':
        if (section.start <= start) headings.push(section);
        break;
    }
  }
  if (headings.length > 0) location.headings = headings.sort((a, b) => a.level - b.level).map((heading) => heading.title);
  return location;
}
