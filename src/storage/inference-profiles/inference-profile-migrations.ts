import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The inference-profile tables. The dialects differ only in the timestamp column type
 * (`timestamptz` on PostgreSQL, ISO-8601 `text` on SQLite); tags live in their own table.
 */
export function inferenceProfileMigrations(timestampType: 'text' | 'timestamptz'): Record<string, Migration> {
  return {
    '0001-create-inference-profiles': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the tables' types exist
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('inference_profiles')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('arn', 'text', (column) => column.notNull())
          .addColumn('name', 'text', (column) => column.notNull().unique())
          .addColumn('description', 'text')
          .addColumn('model_source', 'text', (column) => column.notNull())
          .addColumn('model_arns', 'text', (column) => column.notNull())
          .addColumn('created_at', sql.raw(timestampType), (column) => column.notNull())
          .addColumn('updated_at', sql.raw(timestampType), (column) => column.notNull())
          .execute();
        await db.schema
          .createTable('inference_profile_tags')
          .addColumn('profile_id', 'text', (column) => column.notNull())
          .addColumn('key', 'text', (column) => column.notNull())
          .addColumn('value', 'text', (column) => column.notNull())
          .addColumn('position', 'integer', (column) => column.notNull())
          .addPrimaryKeyConstraint('inference_profile_tags_pkey', ['profile_id', 'key'])
          .execute();
      },
    },
  };
}
