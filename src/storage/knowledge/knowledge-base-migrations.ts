import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The knowledge-base registry tables: knowledge bases, data sources, ingestion jobs and document
 * records, and RetrieveAndGenerate's conversation sessions. Each row keeps its record as JSON
 * (`record`) beside the columns it is looked up and ordered by. The dialects differ only in the
 * timestamp column type.
 */
export function knowledgeBaseMigrations(timestampType: 'text' | 'timestamptz'): Record<string, Migration> {
  return {
    '0001-create-knowledge-bases': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the tables' types exist
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('knowledge_bases')
          .addColumn('knowledge_base_id', 'text', (column) => column.primaryKey())
          .addColumn('created_at', sql.raw(timestampType), (column) => column.notNull())
          .addColumn('record', 'text', (column) => column.notNull())
          .execute();
        await db.schema
          .createTable('knowledge_data_sources')
          .addColumn('knowledge_base_id', 'text', (column) => column.notNull())
          .addColumn('data_source_id', 'text', (column) => column.notNull())
          .addColumn('created_at', sql.raw(timestampType), (column) => column.notNull())
          .addColumn('record', 'text', (column) => column.notNull())
          .addPrimaryKeyConstraint('knowledge_data_sources_pkey', ['knowledge_base_id', 'data_source_id'])
          .execute();
        await db.schema
          .createTable('knowledge_ingestion_jobs')
          .addColumn('knowledge_base_id', 'text', (column) => column.notNull())
          .addColumn('data_source_id', 'text', (column) => column.notNull())
          .addColumn('ingestion_job_id', 'text', (column) => column.notNull())
          .addColumn('status', 'text', (column) => column.notNull())
          .addColumn('started_at', sql.raw(timestampType), (column) => column.notNull())
          .addColumn('record', 'text', (column) => column.notNull())
          .addPrimaryKeyConstraint('knowledge_ingestion_jobs_pkey', ['knowledge_base_id', 'data_source_id', 'ingestion_job_id'])
          .execute();
        await db.schema.createIndex('knowledge_ingestion_jobs_status').on('knowledge_ingestion_jobs').column('status').execute();
        await db.schema
          .createTable('knowledge_documents')
          .addColumn('knowledge_base_id', 'text', (column) => column.notNull())
          .addColumn('data_source_id', 'text', (column) => column.notNull())
          // byte order on both dialects, so pages follow the same order everywhere
          .addColumn('document_id', 'text', (column) => (timestampType === 'timestamptz' ? column.notNull().modifyEnd(sql`collate "C"`) : column.notNull()))
          .addColumn('record', 'text', (column) => column.notNull())
          .addPrimaryKeyConstraint('knowledge_documents_pkey', ['knowledge_base_id', 'data_source_id', 'document_id'])
          .execute();
      },
    },
    '0002-create-knowledge-sessions': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the tables' types exist
      async up(db: Kysely<any>) {
        // RetrieveAndGenerate's sessions: the turns as JSON, `version` for optimistic updates
        await db.schema
          .createTable('knowledge_sessions')
          .addColumn('session_id', 'text', (column) => column.primaryKey())
          .addColumn('used_at', sql.raw(timestampType), (column) => column.notNull())
          .addColumn('version', 'integer', (column) => column.notNull())
          .addColumn('turns', 'text', (column) => column.notNull())
          .execute();
        await db.schema.createIndex('knowledge_sessions_used_at').on('knowledge_sessions').column('used_at').execute();
      },
    },
  };
}
