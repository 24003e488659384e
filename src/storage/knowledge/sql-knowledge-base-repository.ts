import type { Kysely } from 'kysely';
import { OutcropError } from '../../core/errors.js';
import type {
  DataSourceRecord,
  DocumentRecord,
  IngestionJobRecord,
  KnowledgeBaseRecord,
  KnowledgeBaseRepository,
  Page,
  PageRequest,
} from '../../core/knowledge/registry/knowledge-base-record.js';

interface KnowledgeBaseTables {
  knowledge_bases: { knowledge_base_id: string; created_at: string | Date; record: string };
  knowledge_data_sources: { knowledge_base_id: string; data_source_id: string; created_at: string | Date; record: string };
  knowledge_ingestion_jobs: { knowledge_base_id: string; data_source_id: string; ingestion_job_id: string; status: string; started_at: string | Date; record: string };
  knowledge_documents: { knowledge_base_id: string; data_source_id: string; document_id: string; record: string };
}

const unfinishedJobStatuses = ['STARTING', 'IN_PROGRESS', 'STOPPING'];
const dateFields = ['createdAt', 'updatedAt', 'startedAt'] as const;

/**
 * The knowledge-base repository over Kysely: the same queries for SQLite and PostgreSQL. Records are
 * kept whole as JSON (dates as ISO-8601), with the keys and ordering columns beside them.
 */
export class SqlKnowledgeBaseRepository implements KnowledgeBaseRepository {
  private readonly db: Kysely<KnowledgeBaseTables>;

  constructor(db: Kysely<object>) {
    this.db = db as unknown as Kysely<KnowledgeBaseTables>;
  }

  async putKnowledgeBase(record: KnowledgeBaseRecord): Promise<void> {
    await this.db
      .insertInto('knowledge_bases')
      .values({ knowledge_base_id: record.knowledgeBaseId, created_at: record.createdAt.toISOString(), record: encode(record) })
      .onConflict((conflict) => conflict.column('knowledge_base_id').doUpdateSet((update) => ({ created_at: update.ref('excluded.created_at'), record: update.ref('excluded.record') })))
      .execute();
  }

  async getKnowledgeBase(knowledgeBaseId: string): Promise<KnowledgeBaseRecord | undefined> {
    const row = await this.db.selectFrom('knowledge_bases').select('record').where('knowledge_base_id', '=', knowledgeBaseId).executeTakeFirst();
    return row ? decode<KnowledgeBaseRecord>(row.record) : undefined;
  }

  async listKnowledgeBases(): Promise<KnowledgeBaseRecord[]> {
    const rows = await this.db.selectFrom('knowledge_bases').select('record').orderBy('created_at').orderBy('knowledge_base_id').execute();
    return rows.map((row) => decode<KnowledgeBaseRecord>(row.record));
  }

  async deleteKnowledgeBase(knowledgeBaseId: string): Promise<void> {
    await this.db.transaction().execute(async (transaction) => {
      await transaction.deleteFrom('knowledge_documents').where('knowledge_base_id', '=', knowledgeBaseId).execute();
      await transaction.deleteFrom('knowledge_ingestion_jobs').where('knowledge_base_id', '=', knowledgeBaseId).execute();
      await transaction.deleteFrom('knowledge_data_sources').where('knowledge_base_id', '=', knowledgeBaseId).execute();
      await transaction.deleteFrom('knowledge_bases').where('knowledge_base_id', '=', knowledgeBaseId).execute();
    });
  }

  async putDataSource(record: DataSourceRecord): Promise<void> {
    await this.db
      .insertInto('knowledge_data_sources')
      .values({ knowledge_base_id: record.knowledgeBaseId, data_source_id: record.dataSourceId, created_at: record.createdAt.toISOString(), record: encode(record) })
      .onConflict((conflict) =>
        conflict.columns(['knowledge_base_id', 'data_source_id']).doUpdateSet((update) => ({ created_at: update.ref('excluded.created_at'), record: update.ref('excluded.record') })),
      )
      .execute();
  }

  async getDataSource(knowledgeBaseId: string, dataSourceId: string): Promise<DataSourceRecord | undefined> {
    const row = await this.db
      .selectFrom('knowledge_data_sources')
      .select('record')
      .where('knowledge_base_id', '=', knowledgeBaseId)
      .where('data_source_id', '=', dataSourceId)
      .executeTakeFirst();
    return row ? decode<DataSourceRecord>(row.record) : undefined;
  }

  async listDataSources(knowledgeBaseId: string): Promise<DataSourceRecord[]> {
    const rows = await this.db
      .selectFrom('knowledge_data_sources')
      .select('record')
      .where('knowledge_base_id', '=', knowledgeBaseId)
      .orderBy('created_at')
      .orderBy('data_source_id')
      .execute();
    return rows.map((row) => decode<DataSourceRecord>(row.record));
  }

  async deleteDataSource(knowledgeBaseId: string, dataSourceId: string): Promise<void> {
    await this.db.transaction().execute(async (transaction) => {
      for (const table of ['knowledge_documents', 'knowledge_ingestion_jobs', 'knowledge_data_sources'] as const) {
        await transaction.deleteFrom(table).where('knowledge_base_id', '=', knowledgeBaseId).where('data_source_id', '=', dataSourceId).execute();
      }
    });
  }

  async putIngestionJob(record: IngestionJobRecord): Promise<void> {
    await this.db
      .insertInto('knowledge_ingestion_jobs')
      .values({
        knowledge_base_id: record.knowledgeBaseId,
        data_source_id: record.dataSourceId,
        ingestion_job_id: record.ingestionJobId,
        status: record.status,
        started_at: record.startedAt.toISOString(),
        record: encode(record),
      })
      .onConflict((conflict) =>
        conflict
          .columns(['knowledge_base_id', 'data_source_id', 'ingestion_job_id'])
          .doUpdateSet((update) => ({ status: update.ref('excluded.status'), started_at: update.ref('excluded.started_at'), record: update.ref('excluded.record') })),
      )
      .execute();
  }

  async getIngestionJob(knowledgeBaseId: string, dataSourceId: string, ingestionJobId: string): Promise<IngestionJobRecord | undefined> {
    const row = await this.db
      .selectFrom('knowledge_ingestion_jobs')
      .select('record')
      .where('knowledge_base_id', '=', knowledgeBaseId)
      .where('data_source_id', '=', dataSourceId)
      .where('ingestion_job_id', '=', ingestionJobId)
      .executeTakeFirst();
    return row ? decode<IngestionJobRecord>(row.record) : undefined;
  }

  async listIngestionJobs(knowledgeBaseId: string, dataSourceId: string): Promise<IngestionJobRecord[]> {
    const rows = await this.db
      .selectFrom('knowledge_ingestion_jobs')
      .select('record')
      .where('knowledge_base_id', '=', knowledgeBaseId)
      .where('data_source_id', '=', dataSourceId)
      .orderBy('started_at')
      .orderBy('ingestion_job_id')
      .execute();
    return rows.map((row) => decode<IngestionJobRecord>(row.record));
  }

  async listUnfinishedIngestionJobs(): Promise<IngestionJobRecord[]> {
    const rows = await this.db
      .selectFrom('knowledge_ingestion_jobs')
      .select('record')
      .where('status', 'in', unfinishedJobStatuses)
      .orderBy('started_at')
      .orderBy('ingestion_job_id')
      .execute();
    return rows.map((row) => decode<IngestionJobRecord>(row.record));
  }

  async putDocument(record: DocumentRecord): Promise<void> {
    await this.db
      .insertInto('knowledge_documents')
      .values({ knowledge_base_id: record.knowledgeBaseId, data_source_id: record.dataSourceId, document_id: record.id, record: encode(record) })
      .onConflict((conflict) => conflict.columns(['knowledge_base_id', 'data_source_id', 'document_id']).doUpdateSet((update) => ({ record: update.ref('excluded.record') })))
      .execute();
  }

  async getDocument(knowledgeBaseId: string, dataSourceId: string, documentId: string): Promise<DocumentRecord | undefined> {
    const row = await this.db
      .selectFrom('knowledge_documents')
      .select('record')
      .where('knowledge_base_id', '=', knowledgeBaseId)
      .where('data_source_id', '=', dataSourceId)
      .where('document_id', '=', documentId)
      .executeTakeFirst();
    return row ? decode<DocumentRecord>(row.record) : undefined;
  }

  async listDocuments(knowledgeBaseId: string, dataSourceId: string, page: PageRequest): Promise<Page<DocumentRecord>> {
    if (!Number.isInteger(page.limit) || page.limit < 1) throw new OutcropError('ValidationException', `A page of documents must hold at least 1 document, but ${page.limit} was asked for.`);
    let query = this.db
      .selectFrom('knowledge_documents')
      .select(['document_id', 'record'])
      .where('knowledge_base_id', '=', knowledgeBaseId)
      .where('data_source_id', '=', dataSourceId);
    if (page.after !== undefined) query = query.where('document_id', '>', decodePageToken(page.after));
    const rows = await query
      .orderBy('document_id')
      .limit(page.limit + 1)
      .execute();
    const items = rows.slice(0, page.limit).map((row) => decode<DocumentRecord>(row.record));
    const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
    return last ? { items, nextToken: encodePageToken(last.document_id) } : { items };
  }

  async allDocuments(knowledgeBaseId: string, dataSourceId: string): Promise<DocumentRecord[]> {
    const rows = await this.db
      .selectFrom('knowledge_documents')
      .select('record')
      .where('knowledge_base_id', '=', knowledgeBaseId)
      .where('data_source_id', '=', dataSourceId)
      .orderBy('document_id')
      .execute();
    return rows.map((row) => decode<DocumentRecord>(row.record));
  }

  async deleteDocument(knowledgeBaseId: string, dataSourceId: string, documentId: string): Promise<void> {
    await this.db
      .deleteFrom('knowledge_documents')
      .where('knowledge_base_id', '=', knowledgeBaseId)
      .where('data_source_id', '=', dataSourceId)
      .where('document_id', '=', documentId)
      .execute();
  }
}

function encode(record: object): string {
  return JSON.stringify(record);
}

/** Parses a stored record, turning its ISO-8601 date fields back into `Date`s. */
function decode<T>(text: string): T {
  const record = JSON.parse(text) as Record<string, unknown>;
  for (const field of dateFields) if (typeof record[field] === 'string') record[field] = new Date(record[field]);
  return record as T;
}

const pageTokenPrefix = 'doc:';

function encodePageToken(documentId: string): string {
  return Buffer.from(pageTokenPrefix + documentId, 'utf8').toString('base64url');
}

function decodePageToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(pageTokenPrefix)) throw new OutcropError('ValidationException', 'The nextToken is not valid. Use the nextToken a previous page returned.');
  return text.slice(pageTokenPrefix.length);
}
