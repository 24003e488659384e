import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The table of SESSION_SUMMARY memory: one summary per agent, memoryId and ended session, with the
 * time it is forgotten. The dialects differ only in the timestamp column type.
 */
export function agentMemoryMigrations(timestampType: 'text' | 'timestamptz'): Record<string, Migration> {
  return {
    '0001-create-agent-memory': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the tables' types exist
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('agent_memory_summaries')
          .addColumn('agent_id', 'text', (column) => column.notNull())
          .addColumn('memory_id', 'text', (column) => column.notNull())
          .addColumn('session_id', 'text', (column) => column.notNull())
          .addColumn('session_start_time', sql.raw(timestampType), (column) => column.notNull())
          .addColumn('session_expiry_time', sql.raw(timestampType), (column) => column.notNull())
          .addColumn('summary_text', 'text', (column) => column.notNull())
          .addColumn('expires_at', sql.raw(timestampType), (column) => column.notNull())
          .addPrimaryKeyConstraint('agent_memory_summaries_pkey', ['agent_id', 'memory_id', 'session_id'])
          .execute();
        await db.schema.createIndex('agent_memory_summaries_expires_at').on('agent_memory_summaries').column('expires_at').execute();
      },
    },
  };
}
