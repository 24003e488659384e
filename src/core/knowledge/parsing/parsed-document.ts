/** The file formats Outcrop extracts text from (Bedrock's supported types for knowledge bases). */
export type DocumentFormat = 'pdf' | 'docx' | 'html' | 'markdown' | 'text' | 'csv' | 'xlsx';

/**
 * A span of the document's text with what it is. Offsets are UTF-16 indexes into
 * {@link ParsedDocument.text}, `end` exclusive; sections of different kinds may nest (a heading
 * inside a page, a row inside a sheet).
 */
export type DocumentSection =
  | { kind: 'heading'; level: number; title: string; start: number; end: number }
  | { kind: 'page'; pageNumber: number; start: number; end: number }
  | { kind: 'sheet'; name: string; start: number; end: number }
  | { kind: 'row'; rowNumber: number; start: number; end: number };

/** What the file says about itself, where its format records it. */
export interface DocumentProperties {
  format: DocumentFormat;
  title?: string;
  author?: string;
  language?: string;
  pageCount?: number;
}

/** A file turned into plain text, with the structure a chunk's location is derived from. */
export interface ParsedDocument {
  text: string;
  sections: DocumentSection[];
  properties: DocumentProperties;
  /** things the parser skipped or could not render (e.g. an image without text) */
  warnings: string[];
}
