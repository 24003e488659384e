import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The agent tables: agents, the DRAFT's action groups / knowledge bases / collaborators (one table,
 * by kind), numbered versions, and aliases. Records are JSON; the dialects differ only in the
 * timestamp column type.
 */
export function agentMigrations(timestampType: 'text' | 'timestamptz'): Record<string, Migration> {
  return {
    '0001-create-agents': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the tables' types exist
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('agents')
          .addColumn('agent_id', 'text', (column) => column.primaryKey())
          .addColumn('body', 'text', (column) => column.notNull())
          .addColumn('created_at', sql.raw(timestampType), (column) => column.notNull())
          .execute();
        await db.schema
          .createTable('agent_draft_resources')
          .addColumn('agent_id', 'text', (column) => column.notNull())
          .addColumn('kind', 'text', (column) => column.notNull())
          .addColumn('resource_id', 'text', (column) => column.notNull())
          .addColumn('body', 'text', (column) => column.notNull())
          .addColumn('created_at', sql.raw(timestampType), (column) => column.notNull())
          .addPrimaryKeyConstraint('agent_draft_resources_pkey', ['agent_id', 'kind', 'resource_id'])
          .execute();
        await db.schema
          .createTable('agent_versions')
          .addColumn('agent_id', 'text', (column) => column.notNull())
          .addColumn('version', 'integer', (column) => column.notNull())
          .addColumn('body', 'text', (column) => column.notNull())
          .addPrimaryKeyConstraint('agent_versions_pkey', ['agent_id', 'version'])
          .execute();
        await db.schema
          .createTable('agent_aliases')
          .addColumn('agent_id', 'text', (column) => column.notNull())
          .addColumn('alias_id', 'text', (column) => column.notNull())
          .addColumn('body', 'text', (column) => column.notNull())
          .addColumn('created_at', sql.raw(timestampType), (column) => column.notNull())
          .addPrimaryKeyConstraint('agent_aliases_pkey', ['agent_id', 'alias_id'])
          .execute();
      },
    },
  };
}
