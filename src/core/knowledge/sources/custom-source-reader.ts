import { createHash } from 'node:crypto';
import { DocumentError } from '../document-error.js';
import { type DocumentMetadata, hashMetadata } from '../metadata/document-metadata.js';
import type { DataSourceReader, DocumentRef } from './data-source-reader.js';

/** A document handed over through the API (`IngestKnowledgeBaseDocuments`, custom data sources). */
export interface CustomDocument {
  /** the caller's document identifier */
  id: string;
  content: { type: 'TEXT'; text: string } | { type: 'BYTE'; bytes: Uint8Array; mimeType: string };
  metadata?: DocumentMetadata;
}

/** A reader over documents passed in directly, plus the calls that change them. */
export interface CustomSourceReader extends DataSourceReader {
  /** Adds or replaces a document; returns its ref (the fingerprint changes with content or metadata). */
  put(document: CustomDocument): DocumentRef;
  /** Removes a document; returns whether it was there. */
  remove(id: string): boolean;
  get(id: string): DocumentRef | undefined;
}

const extensions: Record<string, string> = {
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/html': 'html',
  'text/csv': 'csv',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

/**
 * Holds documents passed in through the API, in memory, for a custom data source: inline text or
 * bytes with a MIME type, and inline metadata. The ingestion job reads them like any other source;
 * durable storage of the pending documents is the caller's (the knowledge-base store's) concern.
 *
 * @example
 * const source = createCustomSourceReader();
 * source.put({ id: 'faq-1', content: { type: 'TEXT', text: 'Opening hours are 9 to 5.' } });
 */
export function createCustomSourceReader(): CustomSourceReader {
  const documents = new Map<string, { ref: DocumentRef; bytes: Uint8Array; metadata: DocumentMetadata | undefined }>();
  const found = (ref: DocumentRef) => {
    const document = documents.get(ref.id);
    if (!document) throw new DocumentError('unreadable', `Document ${ref.id} is no longer in the data source.`);
    return document;
  };
  return {
    put(document) {
      if (!document.id) throw new DocumentError('unreadable', 'A document needs an identifier.');
      const bytes = document.content.type === 'TEXT' ? new TextEncoder().encode(document.content.text) : new Uint8Array(document.content.bytes);
      const contentType = document.content.type === 'TEXT' ? 'text/plain' : document.content.mimeType;
      const contentHash = createHash('sha256').update(bytes).digest('hex');
      const ref: DocumentRef = {
        id: document.id,
        uri: document.id,
        fileName: `${document.id}.${extensions[contentType.split(';')[0]?.trim() ?? ''] ?? 'bin'}`,
        contentType,
        size: bytes.byteLength,
        modifiedAt: new Date(),
        fingerprint: `${contentHash}|${hashMetadata(document.metadata)}`,
      };
      documents.set(document.id, { ref, bytes, metadata: document.metadata });
      return ref;
    },
    remove: (id) => documents.delete(id),
    get: (id) => documents.get(id)?.ref,
    async *list() {
      for (const id of [...documents.keys()].sort()) yield documents.get(id)!.ref;
    },
    async read(ref) {
      return found(ref).bytes;
    },
    async metadata(ref) {
      return found(ref).metadata;
    },
    listingComplete: false,
  };
}
