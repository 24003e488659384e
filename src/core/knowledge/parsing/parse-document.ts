import { DocumentError, type DocumentFailureReason } from '../document-error.js';
import { csvParser } from './csv-parser.js';
import { mediaTypeOf } from './decode-text.js';
import type { DocumentParser, ParseInput } from './document-parser.js';
import { docxParser } from './docx-parser.js';
import { htmlParser } from './html-parser.js';
import { markdownParser } from './markdown-parser.js';
import type { DocumentFormat, ParsedDocument } from './parsed-document.js';
import { pdfParser } from './pdf-parser.js';
import { textParser } from './text-parser.js';
import { xlsxParser } from './xlsx-parser.js';

/** The built-in parser of each format. */
export const documentParsers: Readonly<Record<DocumentFormat, DocumentParser>> = {
  pdf: pdfParser,
  docx: docxParser,
  html: htmlParser,
  markdown: markdownParser,
  text: textParser,
  csv: csvParser,
  xlsx: xlsxParser,
};

const byMediaType: Record<string, DocumentFormat> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'text',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

const byExtension: Record<string, DocumentFormat> = {
  pdf: 'pdf',
  docx: 'docx',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
  csv: 'csv',
  xlsx: 'xlsx',
};

/**
 * Tells a file's format: a specific content type first, then the file name's extension, then the
 * PDF signature. Generic types (`application/octet-stream`, `binary/octet-stream`) defer to the name.
 *
 * @example
 * detectFormat('report.PDF') // 'pdf'
 */
export function detectFormat(fileName: string, contentType?: string, bytes?: Uint8Array): DocumentFormat | undefined {
  const mediaType = mediaTypeOf(contentType);
  const fromType = mediaType ? byMediaType[mediaType] : undefined;
  if (fromType) return fromType;
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  const fromName = extension ? byExtension[extension] : undefined;
  if (fromName) return fromName;
  if (bytes && new TextDecoder('latin1').decode(bytes.subarray(0, 5)) === '%PDF-') return 'pdf';
  return undefined;
}

/** A parsed document, or why it could not be parsed (the job records it and moves on). */
export type ParseOutcome = { ok: true; format: DocumentFormat; document: ParsedDocument } | { ok: false; reason: DocumentFailureReason; message: string };

export interface ParseDocumentOptions {
  /** larger files fail as `too-large` without being parsed (default 50 MiB, Bedrock's file limit) */
  maxBytes?: number;
  /** replaces built-in parsers, e.g. with one that runs in a worker */
  parsers?: Partial<Record<DocumentFormat, DocumentParser>>;
}

/**
 * Parses one file with the parser for its format. Never throws for a bad file: an unsupported
 * type, a corrupt or encrypted file, a file with no text, or one over `maxBytes` come back as
 * `{ ok: false, reason, message }`. Only an aborted signal throws.
 *
 * @example
 * const outcome = await parseDocument({ bytes, fileName: 'report.pdf' });
 * if (!outcome.ok) failures.push({ document: id, reason: outcome.message });
 */
export async function parseDocument(input: ParseInput, options: ParseDocumentOptions = {}): Promise<ParseOutcome> {
  const maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
  if (input.bytes.byteLength > maxBytes) {
    return { ok: false, reason: 'too-large', message: `${input.fileName} is ${input.bytes.byteLength} bytes, over the ${maxBytes}-byte limit.` };
  }
  const format = detectFormat(input.fileName, input.contentType, input.bytes);
  if (!format) {
    const described = input.contentType ? `${input.fileName} (${input.contentType})` : input.fileName;
    return { ok: false, reason: 'unsupported-format', message: `${described} is not a supported file type (PDF, DOCX, HTML, Markdown, text, CSV, XLSX).` };
  }
  const parser = options.parsers?.[format] ?? documentParsers[format];
  try {
    const document = await parser.parse(input);
    if (!document.text.trim()) return { ok: false, reason: 'empty', message: `${input.fileName} has no text to index.` };
    return { ok: true, format, document };
  } catch (error) {
    if (input.abortSignal?.aborted) throw input.abortSignal.reason;
    if (DocumentError.isInstance(error)) return { ok: false, reason: error.reason, message: error.message };
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'corrupt', message: `${input.fileName} could not be parsed: ${detail}` };
  }
}
