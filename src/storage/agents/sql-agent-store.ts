import type { Kysely, Transaction } from 'kysely';
import type { AgentWrite, StoredAgent } from '../../core/agents/registry/agent-records.js';
import { decodeActionGroup, decodeAgent, decodeAlias, decodeCollaborator, decodeKnowledgeBase, decodeVersion, encodeRecord } from './agent-record-codec.js';
import type { AgentStore } from './agent-store.js';

type ResourceKind = 'actionGroup' | 'knowledgeBase' | 'collaborator';

interface AgentTables {
  agents: { agent_id: string; body: string; created_at: string | Date };
  agent_draft_resources: { agent_id: string; kind: ResourceKind; resource_id: string; body: string; created_at: string | Date };
  agent_versions: { agent_id: string; version: number; body: string };
  agent_aliases: { agent_id: string; alias_id: string; body: string; created_at: string | Date };
}

/** The agent store over Kysely: the same queries for SQLite and PostgreSQL. */
export class SqlAgentStore implements AgentStore {
  private readonly db: Kysely<AgentTables>;

  constructor(db: Kysely<object>) {
    this.db = db as unknown as Kysely<AgentTables>;
  }

  async list(): Promise<StoredAgent[]> {
    const agents = await this.db.selectFrom('agents').selectAll().orderBy('created_at').orderBy('agent_id').execute();
    const resources = await this.db.selectFrom('agent_draft_resources').selectAll().orderBy('created_at').orderBy('resource_id').execute();
    const versions = await this.db.selectFrom('agent_versions').selectAll().orderBy('agent_id').orderBy('version').execute();
    const aliases = await this.db.selectFrom('agent_aliases').selectAll().orderBy('created_at').orderBy('alias_id').execute();
    return agents.map((row) => {
      const own = resources.filter((resource) => resource.agent_id === row.agent_id);
      const ofKind = (kind: ResourceKind) => own.filter((resource) => resource.kind === kind).map((resource) => resource.body);
      return {
        agent: decodeAgent(row.body),
        actionGroups: ofKind('actionGroup').map(decodeActionGroup),
        knowledgeBases: ofKind('knowledgeBase').map(decodeKnowledgeBase),
        collaborators: ofKind('collaborator').map(decodeCollaborator),
        versions: versions.filter((version) => version.agent_id === row.agent_id).map((version) => decodeVersion(version.body)),
        // the test alias first, then the others in creation order
        aliases: aliases
          .filter((alias) => alias.agent_id === row.agent_id)
          .sort((a, b) => Number(b.alias_id === 'TSTALIASID') - Number(a.alias_id === 'TSTALIASID'))
          .map((alias) => decodeAlias(alias.body)),
      };
    });
  }

  async apply(writes: AgentWrite[]): Promise<void> {
    await this.db.transaction().execute(async (transaction) => {
      for (const write of writes) await applyOne(transaction, write);
    });
  }
}

async function applyOne(db: Transaction<AgentTables>, write: AgentWrite): Promise<void> {
  if ('delete' in write) {
    const { agentId } = write;
    if (write.delete === 'agent') {
      await db.deleteFrom('agent_aliases').where('agent_id', '=', agentId).execute();
      await db.deleteFrom('agent_versions').where('agent_id', '=', agentId).execute();
      await db.deleteFrom('agent_draft_resources').where('agent_id', '=', agentId).execute();
      await db.deleteFrom('agents').where('agent_id', '=', agentId).execute();
    } else if (write.delete === 'version') {
      await db.deleteFrom('agent_versions').where('agent_id', '=', agentId).where('version', '=', Number(write.id)).execute();
    } else if (write.delete === 'alias') {
      await db.deleteFrom('agent_aliases').where('agent_id', '=', agentId).where('alias_id', '=', write.id).execute();
    } else {
      await db.deleteFrom('agent_draft_resources').where('agent_id', '=', agentId).where('kind', '=', write.delete).where('resource_id', '=', write.id).execute();
    }
    return;
  }
  switch (write.put) {
    case 'agent': {
      const { agentId, createdAt } = write.record;
      const body = encodeRecord(write.record);
      await db
        .insertInto('agents')
        .values({ agent_id: agentId, body, created_at: createdAt.toISOString() })
        .onConflict((conflict) => conflict.column('agent_id').doUpdateSet({ body }))
        .execute();
      return;
    }
    case 'actionGroup':
      return putResource(db, 'actionGroup', write.record.agentId, write.record.actionGroupId, write.record.createdAt, write.record);
    case 'knowledgeBase':
      return putResource(db, 'knowledgeBase', write.record.agentId, write.record.knowledgeBaseId, write.record.createdAt, write.record);
    case 'collaborator':
      return putResource(db, 'collaborator', write.record.agentId, write.record.collaboratorId, write.record.createdAt, write.record);
    case 'version': {
      const body = encodeRecord(write.record);
      await db
        .insertInto('agent_versions')
        .values({ agent_id: write.record.agentId, version: Number(write.record.version), body })
        .onConflict((conflict) => conflict.columns(['agent_id', 'version']).doUpdateSet({ body }))
        .execute();
      return;
    }
    case 'alias': {
      const body = encodeRecord(write.record);
      await db
        .insertInto('agent_aliases')
        .values({ agent_id: write.record.agentId, alias_id: write.record.agentAliasId, body, created_at: write.record.createdAt.toISOString() })
        .onConflict((conflict) => conflict.columns(['agent_id', 'alias_id']).doUpdateSet({ body }))
        .execute();
      return;
    }
  }
}

async function putResource(db: Transaction<AgentTables>, kind: ResourceKind, agentId: string, resourceId: string, createdAt: Date, record: object): Promise<void> {
  const body = encodeRecord(record);
  await db
    .insertInto('agent_draft_resources')
    .values({ agent_id: agentId, kind, resource_id: resourceId, body, created_at: createdAt.toISOString() })
    .onConflict((conflict) => conflict.columns(['agent_id', 'kind', 'resource_id']).doUpdateSet({ body }))
    .execute();
}
