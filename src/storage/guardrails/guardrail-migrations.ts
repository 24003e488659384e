import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The guardrail tables: guardrails, their versions (DRAFT and numbered; the policies as JSON), tags,
 * and intervention records (policies and, when the operator keeps it, the text as JSON). The dialects
 * differ only in the timestamp column type.
 */
export function guardrailMigrations(timestampType: 'text' | 'timestamptz'): Record<string, Migration> {
  return {
    '0001-create-guardrails': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the tables' types exist
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('guardrails')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('arn', 'text', (column) => column.notNull())
          .addColumn('last_version', 'integer', (column) => column.notNull())
          .addColumn('created_at', sql.raw(timestampType), (column) => column.notNull())
          .execute();
        await db.schema
          .createTable('guardrail_versions')
          .addColumn('guardrail_id', 'text', (column) => column.notNull())
          .addColumn('version', 'text', (column) => column.notNull())
          .addColumn('name', 'text', (column) => column.notNull())
          .addColumn('description', 'text')
          .addColumn('definition', 'text', (column) => column.notNull())
          .addColumn('kms_key_id', 'text')
          .addColumn('created_at', sql.raw(timestampType), (column) => column.notNull())
          .addColumn('updated_at', sql.raw(timestampType), (column) => column.notNull())
          .addPrimaryKeyConstraint('guardrail_versions_pkey', ['guardrail_id', 'version'])
          .execute();
        await db.schema
          .createTable('guardrail_tags')
          .addColumn('guardrail_id', 'text', (column) => column.notNull())
          .addColumn('key', 'text', (column) => column.notNull())
          .addColumn('value', 'text', (column) => column.notNull())
          .addColumn('position', 'integer', (column) => column.notNull())
          .addPrimaryKeyConstraint('guardrail_tags_pkey', ['guardrail_id', 'key'])
          .execute();
      },
    },
    '0002-create-guardrail-interventions': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the tables' types exist
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('guardrail_interventions')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('guardrail_id', 'text', (column) => column.notNull())
          .addColumn('guardrail_version', 'text', (column) => column.notNull())
          .addColumn('occurred_at', sql.raw(timestampType), (column) => column.notNull())
          .addColumn('source', 'text', (column) => column.notNull())
          .addColumn('operation', 'text', (column) => column.notNull())
          .addColumn('request_id', 'text')
          .addColumn('action', 'text', (column) => column.notNull())
          .addColumn('policies', 'text', (column) => column.notNull())
          .addColumn('content', 'text')
          .execute();
        await db.schema.createIndex('guardrail_interventions_by_guardrail').on('guardrail_interventions').columns(['guardrail_id', 'occurred_at']).execute();
      },
    },
  };
}
