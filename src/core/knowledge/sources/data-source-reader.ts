import type { DocumentMetadata } from '../metadata/document-metadata.js';

/** One document a data source holds, as its listing describes it. */
export interface DocumentRef {
  /** stable across syncs: a relative path, an `s3://` URI, a URL, a custom document id */
  id: string;
  /** where the document lives, for `x-amz-bedrock-kb-source-uri` and citations */
  uri: string;
  /** the name a parser uses to tell the format (`report.pdf`) */
  fileName: string;
  contentType?: string;
  size?: number;
  modifiedAt?: Date;
  etag?: string;
  /**
   * changes whenever the document or its metadata may have changed (an ETag, or size and
   * modification time, combined with the sidecar's): equal fingerprints mean a sync can skip reading
   */
  fingerprint: string;
}

export interface ReadOptions {
  abortSignal?: AbortSignal;
}

/**
 * A source of documents for a knowledge base: a local folder, an S3-compatible bucket, a web
 * crawl, or documents handed over through the API. Readers only list and fetch; parsing,
 * chunking and indexing happen elsewhere.
 *
 * @example
 * for await (const ref of reader.list()) {
 *   const bytes = await reader.read(ref);
 *   const metadata = await reader.metadata(ref);
 * }
 */
export interface DataSourceReader {
  /** Every document in the source (sidecars excluded), in a stable order. */
  list(options?: ReadOptions): AsyncIterable<DocumentRef>;
  /** The document's bytes; throws a `DocumentError` (`unreadable`, `too-large`) when it cannot. */
  read(ref: DocumentRef, options?: ReadOptions): Promise<Uint8Array>;
  /** The document's attributes from its sidecar or the API, or undefined when it has none. */
  metadata(ref: DocumentRef, options?: ReadOptions): Promise<DocumentMetadata | undefined>;
  /** Whether `list` returned the whole source (false after a crawl stopped at its page limit). */
  readonly listingComplete?: boolean;
}
