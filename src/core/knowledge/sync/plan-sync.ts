import { OutcropError } from '../../errors.js';

/** What the index holds for one document after its last successful ingestion. */
export interface IndexedDocumentState {
  id: string;
  /** SHA-256 of the document's bytes */
  contentHash: string;
  /** `hashMetadata` of its attributes */
  metadataHash: string;
  /** the listing's change marker when it was indexed (see `DocumentRef.fingerprint`) */
  fingerprint?: string;
  /** hash of the parsing, chunking and embedding settings it was indexed with */
  configurationHash?: string;
  /** the chunks it owns in the vector store */
  chunkIds: readonly string[];
}

/**
 * A document in the current listing. `contentHash` and `metadataHash` are known for documents that
 * were read; a document whose fingerprint is unchanged need not be read at all.
 */
export interface ListedDocument {
  id: string;
  fingerprint?: string;
  contentHash?: string;
  metadataHash?: string;
}

export type ModificationReason = 'content' | 'metadata' | 'configuration';

export interface SyncPlan {
  /** new documents: parse, chunk, embed, index */
  added: ListedDocument[];
  /** changed documents: replace their chunks (`previous.chunkIds`) with new ones */
  modified: { document: ListedDocument; previous: IndexedDocumentState; reasons: ModificationReason[] }[];
  /** nothing to do but record the new fingerprint, if any */
  unchanged: { document: ListedDocument; previous: IndexedDocumentState }[];
  /** gone from the source: remove their chunks */
  deleted: IndexedDocumentState[];
  /** every chunk id the plan removes: those of modified and deleted documents */
  staleChunkIds: string[];
}

export interface PlanSyncInput {
  previous: Iterable<IndexedDocumentState>;
  current: Iterable<ListedDocument>;
  /** the data source's current settings hash: documents indexed under other settings are re-indexed */
  configurationHash?: string;
  /**
   * whether the listing is the whole source (default true). A crawl stopped by its page limit, or
   * a custom source fed document by document, is not: documents missing from it are kept.
   */
  listingComplete?: boolean;
}

/**
 * The documents a sync must read: new ones, and those whose fingerprint changed or is unknown.
 * The others are unchanged without being downloaded.
 *
 * @example
 * for (const ref of documentsToRead(state, listing)) hashes.set(ref.id, sha256(await reader.read(ref)));
 */
export function documentsToRead<T extends ListedDocument>(previous: Iterable<IndexedDocumentState>, current: Iterable<T>): T[] {
  const byId = new Map([...previous].map((state) => [state.id, state]));
  return [...current].filter((document) => {
    const state = byId.get(document.id);
    return !state || document.fingerprint === undefined || document.fingerprint !== state.fingerprint;
  });
}

/**
 * Decides what an incremental sync does, so an unchanged document is never re-embedded, a changed
 * one is replaced and a deleted one removed. A document is unchanged when its content hash (or,
 * unread, its fingerprint), its metadata and the configuration it was indexed with are all the
 * same. Pure: it reads nothing and changes nothing.
 *
 * @example
 * const plan = planSync({ previous: state, current: listed, configurationHash });
 * await store.deleteChunks(plan.staleChunkIds);
 * for (const document of [...plan.added, ...plan.modified.map((entry) => entry.document)]) await ingest(document);
 */
export function planSync(input: PlanSyncInput): SyncPlan {
  const previous = new Map<string, IndexedDocumentState>();
  for (const state of input.previous) previous.set(state.id, state);
  const plan: SyncPlan = { added: [], modified: [], unchanged: [], deleted: [], staleChunkIds: [] };
  const seen = new Set<string>();

  for (const document of input.current) {
    if (seen.has(document.id)) throw new OutcropError('ValidationException', `The document ID ${document.id} appears more than once in the data source.`);
    seen.add(document.id);
    const state = previous.get(document.id);
    if (!state) {
      plan.added.push(document);
      continue;
    }
    const reasons = changes(document, state, input.configurationHash);
    if (reasons.length === 0) plan.unchanged.push({ document, previous: state });
    else {
      plan.modified.push({ document, previous: state, reasons });
      plan.staleChunkIds.push(...state.chunkIds);
    }
  }

  if (input.listingComplete ?? true) {
    for (const state of previous.values()) {
      if (seen.has(state.id)) continue;
      plan.deleted.push(state);
      plan.staleChunkIds.push(...state.chunkIds);
    }
  }
  return plan;
}

function changes(document: ListedDocument, state: IndexedDocumentState, configurationHash: string | undefined): ModificationReason[] {
  const sameListing = document.fingerprint !== undefined && document.fingerprint === state.fingerprint;
  if (document.contentHash === undefined && !sameListing) {
    throw new OutcropError('InternalServerException', `Document ${document.id} changed in the listing but was not read: pass its contentHash (see documentsToRead).`);
  }
  const reasons: ModificationReason[] = [];
  if (document.contentHash !== undefined && document.contentHash !== state.contentHash) reasons.push('content');
  const metadataHash = document.metadataHash ?? (sameListing ? state.metadataHash : undefined);
  if (metadataHash !== state.metadataHash) reasons.push('metadata');
  if (configurationHash !== undefined && configurationHash !== state.configurationHash) reasons.push('configuration');
  return reasons;
}
