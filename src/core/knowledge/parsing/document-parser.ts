import type { DocumentFormat, ParsedDocument } from './parsed-document.js';

/** One file to parse: its bytes and what is known about them. */
export interface ParseInput {
  bytes: Uint8Array;
  /** the file's name or key, used in messages and to tell the format when `contentType` is absent */
  fileName: string;
  /** a MIME type, possibly with parameters (`text/html; charset=iso-8859-1`) */
  contentType?: string;
  abortSignal?: AbortSignal;
}

/**
 * Turns the bytes of one format into text and sections. Parsers load their library on first use,
 * and throw a `DocumentError` (`corrupt`, `encrypted`, `empty`) for a file they cannot read.
 *
 * @example
 * const document = await markdownParser.parse({ bytes, fileName: 'guide.md' });
 */
export interface DocumentParser {
  readonly format: DocumentFormat;
  parse(input: ParseInput): Promise<ParsedDocument>;
}
