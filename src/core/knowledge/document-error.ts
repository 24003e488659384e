import { OutcropError } from '../errors.js';

const marker = Symbol.for('outcrop.document-error');

/**
 * Why one document could not be ingested. An ingestion job records the reason and the message
 * against the document and carries on with the next one.
 */
export type DocumentFailureReason =
  /** no parser for the file's type */
  | 'unsupported-format'
  /** the bytes are not a valid file of the type they claim */
  | 'corrupt'
  /** password-protected or encrypted content */
  | 'encrypted'
  /** a valid file with no text to index (a scanned PDF, an empty sheet) */
  | 'empty'
  /** larger than the configured limit */
  | 'too-large'
  /** the `<file>.metadata.json` sidecar or inline attributes are invalid */
  | 'invalid-metadata'
  /** the data source could not return the document (permissions, network, vanished) */
  | 'unreadable';

/**
 * A document-level failure: a `ValidationException` (it surfaces as such where a request carried the
 * document inline) that also says which {@link DocumentFailureReason} applies.
 *
 * @example
 * throw new DocumentError('corrupt', 'report.pdf is not a valid PDF: Invalid PDF structure.');
 */
export class DocumentError extends OutcropError {
  readonly [marker] = true;

  constructor(
    readonly reason: DocumentFailureReason,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super('ValidationException', message, options);
  }

  /** Works across copies of this module, unlike `instanceof`. */
  static override isInstance(value: unknown): value is DocumentError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}
