import type { Kysely, Transaction } from 'kysely';
import type { GuardrailInterventionRecord } from '../../core/guardrails/interventions/guardrail-intervention.js';
import type { GuardrailRecord, GuardrailVersionRecord } from '../../core/guardrails/registry/guardrail-record.js';
import type { Tag } from '../../core/models/inference-profiles/inference-profile.js';
import type { GuardrailStore } from './guardrail-store.js';

interface GuardrailTables {
  guardrails: { id: string; arn: string; last_version: number; created_at: string | Date };
  guardrail_versions: {
    guardrail_id: string;
    version: string;
    name: string;
    description: string | null;
    /** the `GuardrailDefinition` as JSON */
    definition: string;
    kms_key_id: string | null;
    created_at: string | Date;
    updated_at: string | Date;
  };
  guardrail_tags: { guardrail_id: string; key: string; value: string; position: number };
  guardrail_interventions: {
    id: string;
    guardrail_id: string;
    guardrail_version: string;
    occurred_at: string | Date;
    source: string;
    operation: string;
    request_id: string | null;
    action: string;
    /** the `InterventionPolicyAction` list as JSON */
    policies: string;
    /** the evaluated texts as a JSON array, only when the operator records content */
    content: string | null;
  };
}

type Database = Kysely<GuardrailTables> | Transaction<GuardrailTables>;

/** The guardrail store over Kysely: the same queries for SQLite and PostgreSQL. */
export class SqlGuardrailStore implements GuardrailStore {
  private readonly db: Kysely<GuardrailTables>;

  constructor(db: Kysely<object>) {
    this.db = db as unknown as Kysely<GuardrailTables>;
  }

  async list(): Promise<GuardrailRecord[]> {
    const guardrails = await this.db.selectFrom('guardrails').selectAll().orderBy('created_at').orderBy('id').execute();
    const versions = await this.db.selectFrom('guardrail_versions').selectAll().orderBy('guardrail_id').orderBy('created_at').execute();
    const tags = await this.db.selectFrom('guardrail_tags').selectAll().orderBy('guardrail_id').orderBy('position').execute();
    return guardrails.map((row) => ({
      id: row.id,
      arn: row.arn,
      createdAt: new Date(row.created_at),
      lastVersion: Number(row.last_version),
      tags: tags.filter((tag) => tag.guardrail_id === row.id).map((tag) => ({ key: tag.key, value: tag.value })),
      versions: versions
        .filter((version) => version.guardrail_id === row.id)
        .map(toVersion)
        .sort((a, b) => order(a.version) - order(b.version)),
    }));
  }

  async insert(guardrail: GuardrailRecord): Promise<void> {
    await this.db.transaction().execute(async (transaction) => {
      await transaction.insertInto('guardrails').values({ id: guardrail.id, arn: guardrail.arn, last_version: guardrail.lastVersion, created_at: guardrail.createdAt.toISOString() }).execute();
      for (const version of guardrail.versions) await transaction.insertInto('guardrail_versions').values(toRow(version)).execute();
      await writeTags(transaction, guardrail.id, guardrail.tags);
    });
  }

  async updateVersion(version: GuardrailVersionRecord): Promise<boolean> {
    const { guardrail_id, version: number, ...values } = toRow(version);
    const result = await this.db.updateTable('guardrail_versions').set(values).where('guardrail_id', '=', guardrail_id).where('version', '=', number).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async insertVersion(version: GuardrailVersionRecord, lastVersion: number): Promise<void> {
    await this.db.transaction().execute(async (transaction) => {
      await transaction.insertInto('guardrail_versions').values(toRow(version)).execute();
      await transaction.updateTable('guardrails').set({ last_version: lastVersion }).where('id', '=', version.guardrailId).execute();
    });
  }

  async deleteVersion(guardrailId: string, version: string): Promise<boolean> {
    const result = await this.db.deleteFrom('guardrail_versions').where('guardrail_id', '=', guardrailId).where('version', '=', version).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async delete(guardrailId: string): Promise<boolean> {
    return this.db.transaction().execute(async (transaction) => {
      await transaction.deleteFrom('guardrail_tags').where('guardrail_id', '=', guardrailId).execute();
      await transaction.deleteFrom('guardrail_versions').where('guardrail_id', '=', guardrailId).execute();
      const result = await transaction.deleteFrom('guardrails').where('id', '=', guardrailId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  async setTags(guardrailId: string, tags: Tag[]): Promise<boolean> {
    return this.db.transaction().execute(async (transaction) => {
      const exists = await transaction.selectFrom('guardrails').select('id').where('id', '=', guardrailId).executeTakeFirst();
      if (!exists) return false;
      await transaction.deleteFrom('guardrail_tags').where('guardrail_id', '=', guardrailId).execute();
      await writeTags(transaction, guardrailId, tags);
      return true;
    });
  }

  async insertIntervention(record: GuardrailInterventionRecord): Promise<void> {
    await this.db
      .insertInto('guardrail_interventions')
      .values({
        id: record.id,
        guardrail_id: record.guardrailId,
        guardrail_version: record.guardrailVersion,
        occurred_at: record.occurredAt.toISOString(),
        source: record.source,
        operation: record.operation,
        request_id: record.requestId ?? null,
        action: record.action,
        policies: JSON.stringify(record.policies),
        content: record.content === undefined ? null : JSON.stringify(record.content),
      })
      .execute();
  }

  async listInterventions(query: { guardrailId?: string; limit?: number } = {}): Promise<GuardrailInterventionRecord[]> {
    let select = this.db.selectFrom('guardrail_interventions').selectAll();
    if (query.guardrailId !== undefined) select = select.where('guardrail_id', '=', query.guardrailId);
    const rows = await select
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit ?? 100)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      guardrailId: row.guardrail_id,
      guardrailVersion: row.guardrail_version,
      occurredAt: new Date(row.occurred_at),
      source: row.source as GuardrailInterventionRecord['source'],
      operation: row.operation,
      ...(row.request_id === null ? {} : { requestId: row.request_id }),
      action: row.action as GuardrailInterventionRecord['action'],
      policies: JSON.parse(row.policies) as GuardrailInterventionRecord['policies'],
      ...(row.content === null ? {} : { content: JSON.parse(row.content) as string[] }),
    }));
  }
}

/** DRAFT first, then numbered versions in order. */
function order(version: string): number {
  return version === 'DRAFT' ? 0 : Number(version);
}

async function writeTags(db: Database, guardrailId: string, tags: Tag[]): Promise<void> {
  if (tags.length === 0) return;
  await db
    .insertInto('guardrail_tags')
    .values(tags.map((tag, position) => ({ guardrail_id: guardrailId, key: tag.key, value: tag.value, position })))
    .execute();
}

function toRow(version: GuardrailVersionRecord): GuardrailTables['guardrail_versions'] {
  return {
    guardrail_id: version.guardrailId,
    version: version.version,
    name: version.name,
    description: version.description ?? null,
    definition: JSON.stringify(version.definition),
    kms_key_id: version.kmsKeyId ?? null,
    created_at: version.createdAt.toISOString(),
    updated_at: version.updatedAt.toISOString(),
  };
}

function toVersion(row: GuardrailTables['guardrail_versions']): GuardrailVersionRecord {
  return {
    guardrailId: row.guardrail_id,
    version: row.version,
    name: row.name,
    ...(row.description === null ? {} : { description: row.description }),
    definition: JSON.parse(row.definition) as GuardrailVersionRecord['definition'],
    ...(row.kms_key_id === null ? {} : { kmsKeyId: row.kms_key_id }),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
