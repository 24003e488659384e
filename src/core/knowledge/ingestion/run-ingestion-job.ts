import { createHash } from 'node:crypto';
import { DocumentError } from '../document-error.js';
import { hashMetadata } from '../metadata/document-metadata.js';
import type { DataSourceRecord, DocumentRecord, IngestionJobRecord, KnowledgeBaseRecord } from '../registry/knowledge-base-record.js';
import type { DocumentRef } from '../sources/data-source-reader.js';
import type { CrawlEvent } from '../sources/web/web-crawler-reader.js';
import { planSync } from '../sync/plan-sync.js';
import { indexDocument } from './index-document.js';
import { type IngestionEnvironment, documentKey, documentRecordOf, indexingFor } from './ingestion-environment.js';
import { timedStage } from './ingestion-observer.js';

/** The job's failure reasons are kept to this many (Bedrock lists the first ones too). */
const maxFailureReasons = 100;
/** The metadata hash of a document without a sidecar. */
const noMetadataHash = hashMetadata(undefined);

export interface JobRun {
  job: IngestionJobRecord;
  knowledgeBase: KnowledgeBaseRecord;
  dataSource: DataSourceRecord;
  /** aborted by StopIngestionJob, a deletion or shutdown */
  signal: AbortSignal;
  /** documents processed at once */
  concurrency: number;
  /** writes the job's progress (statistics, failure reasons); throttled by the caller */
  progress(job: IngestionJobRecord): void;
}

/**
 * Synchronises one data source into its knowledge base: lists the source, skips documents whose
 * fingerprint, content, metadata and settings are unchanged (never re-embedded), indexes new and
 * changed ones (each replaced atomically, then its record written), records documents that fail
 * (corrupt, unsupported, oversized, bad metadata) and carries on, and removes documents gone from a
 * complete listing. Statistics and failure reasons are updated on `run.job` as it goes. Throws only
 * when the whole job fails (the source cannot be listed) or the signal is aborted.
 *
 * @example
 * await runIngestionJob(environment, { job, knowledgeBase, dataSource, signal, concurrency: 2, progress: save });
 */
export async function runIngestionJob(environment: IngestionEnvironment, run: JobRun): Promise<void> {
  const { job, knowledgeBase, dataSource, signal } = run;
  const statistics = job.statistics;
  const indexing = await indexingFor(environment, knowledgeBase, dataSource, signal);
  const skipped: string[] = [];
  const reader = environment.openReader(dataSource, environment.settings, {
    onCrawlEvent: (event: CrawlEvent) => {
      if (event.type === 'skipped' && skipped.length < 20) skipped.push(`${event.url}: ${event.reason}`);
    },
  });
  try {
    const listing: DocumentRef[] = [];
    for await (const ref of reader.list({ abortSignal: signal })) {
      listing.push(ref);
      statistics.numberOfDocumentsScanned = listing.length;
    }
    if (listing.length === 0 && dataSource.dataSourceConfiguration.type === 'WEB') {
      throw new Error(`The crawl found no page to index${skipped.length > 0 ? `: ${skipped.join('; ')}` : '.'}`);
    }
    run.progress(job);

    const previous = new Map<string, DocumentRecord>();
    for (const record of await environment.repository.allDocuments(knowledgeBase.knowledgeBaseId, dataSource.dataSourceId)) previous.set(record.id, record);

    const fail = (ref: DocumentRef, message: string) => {
      statistics.numberOfDocumentsFailed++;
      if (job.failureReasons.length < maxFailureReasons) job.failureReasons.push(`${ref.uri}: ${message}`.slice(0, 2048));
    };

    const syncOne = async (ref: DocumentRef) => {
      const before = previous.get(ref.id);
      const indexed = before?.status === 'INDEXED' ? before : undefined;
      if (indexed && indexed.fingerprint === ref.fingerprint && indexed.configurationHash === indexing.configurationHash) {
        // Bedrock counts unchanged sidecars as scanned too; an unchanged fingerprint means the sidecar the record saw is still there.
        if (indexed.metadataHash !== noMetadataHash) statistics.numberOfMetadataDocumentsScanned++;
        return;
      }
      await environment.locks.run(documentKey(knowledgeBase.knowledgeBaseId, dataSource.dataSourceId, ref.id), async () => {
        signal.throwIfAborted();
        let bytes: Uint8Array;
        let metadata: Awaited<ReturnType<typeof reader.metadata>>;
        try {
          [bytes, metadata] = await timedStage(environment.observer, 'read', async () => [await reader.read(ref, { abortSignal: signal }), await reader.metadata(ref, { abortSignal: signal })] as const);
        } catch (error) {
          signal.throwIfAborted();
          if (!DocumentError.isInstance(error)) throw error;
          if (error.reason === 'invalid-metadata') statistics.numberOfMetadataDocumentsScanned++;
          await environment.index.replaceDocument(knowledgeBase.knowledgeBaseId, dataSource.dataSourceId, ref.id, []);
          await environment.repository.putDocument(documentRecordOf(indexing, ref, { ok: false, message: error.message, contentHash: '', metadataHash: '' }, environment.now()));
          fail(ref, error.message);
          return;
        }
        if (metadata) statistics.numberOfMetadataDocumentsScanned++;
        const listed = { id: ref.id, fingerprint: ref.fingerprint, contentHash: createHash('sha256').update(bytes).digest('hex'), metadataHash: hashMetadata(metadata) };
        const plan = planSync({ previous: indexed ? [indexed] : [], current: [listed], configurationHash: indexing.configurationHash, listingComplete: false });
        if (plan.unchanged.length > 0 && indexed) {
          await environment.repository.putDocument({ ...indexed, fingerprint: ref.fingerprint, updatedAt: environment.now() });
          return;
        }
        // the stored vectors were made by the same model and settings, with the same attributes prepended
        const reuseStoredEmbeddings = indexed !== undefined && indexed.configurationHash === indexing.configurationHash && indexed.metadataHash === listed.metadataHash;
        const outcome = await indexDocument(ref, bytes, metadata, indexing, { reuseStoredEmbeddings });
        await environment.repository.putDocument(documentRecordOf(indexing, ref, outcome, environment.now()));
        if (!outcome.ok) return fail(ref, outcome.message);
        const reasons = plan.modified[0]?.reasons;
        if (!reasons) statistics.numberOfNewDocumentsIndexed++;
        else if (reasons.includes('content') || reasons.includes('configuration')) statistics.numberOfModifiedDocumentsIndexed++;
        else statistics.numberOfMetadataDocumentsModified++;
      });
      run.progress(job);
    };

    let next = 0;
    const worker = async () => {
      while (next < listing.length) {
        signal.throwIfAborted();
        await syncOne(listing[next++] as DocumentRef);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(run.concurrency, listing.length)) }, worker));

    if (reader.listingComplete === false) return;
    const listed = new Set(listing.map((ref) => ref.id));
    for (const record of previous.values()) {
      if (listed.has(record.id)) continue;
      signal.throwIfAborted();
      await environment.locks.run(documentKey(knowledgeBase.knowledgeBaseId, dataSource.dataSourceId, record.id), async () => {
        await environment.index.deleteDocuments(knowledgeBase.knowledgeBaseId, dataSource.dataSourceId, [record.id]);
        await environment.repository.deleteDocument(knowledgeBase.knowledgeBaseId, dataSource.dataSourceId, record.id);
      });
      if (record.status === 'INDEXED') statistics.numberOfDocumentsDeleted++;
      run.progress(job);
    }
  } finally {
    await reader.close?.();
  }
}
