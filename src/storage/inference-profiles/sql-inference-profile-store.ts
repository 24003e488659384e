import type { Kysely, Transaction } from 'kysely';
import { OutcropError } from '../../core/errors.js';
import type { ApplicationInferenceProfile, Tag } from '../../core/models/inference-profiles/inference-profile.js';
import { isUniqueViolation } from '../sql/migrate.js';
import type { InferenceProfileStore } from './inference-profile-store.js';

interface InferenceProfileTables {
  inference_profiles: {
    id: string;
    arn: string;
    name: string;
    description: string | null;
    model_source: string;
    /** a JSON array */
    model_arns: string;
    /** written as ISO-8601 text; read back as text (SQLite) or a Date (PostgreSQL) */
    created_at: string | Date;
    updated_at: string | Date;
  };
  inference_profile_tags: {
    profile_id: string;
    key: string;
    value: string;
    position: number;
  };
}

type Database = Kysely<InferenceProfileTables> | Transaction<InferenceProfileTables>;

/**
 * The inference-profile store over Kysely: the same queries for SQLite and PostgreSQL (the
 * dialect folders only choose column types and run the migrations).
 */
export class SqlInferenceProfileStore implements InferenceProfileStore {
  private readonly db: Kysely<InferenceProfileTables>;

  constructor(db: Kysely<object>) {
    this.db = db as unknown as Kysely<InferenceProfileTables>;
  }

  async list(): Promise<ApplicationInferenceProfile[]> {
    const rows = await this.db.selectFrom('inference_profiles').selectAll().orderBy('created_at').orderBy('id').execute();
    const tags = await this.db.selectFrom('inference_profile_tags').selectAll().orderBy('profile_id').orderBy('position').execute();
    const byProfile = new Map<string, Tag[]>();
    for (const tag of tags) {
      const list = byProfile.get(tag.profile_id) ?? [];
      list.push({ key: tag.key, value: tag.value });
      byProfile.set(tag.profile_id, list);
    }
    return rows.map((row) => toProfile(row, byProfile.get(row.id) ?? []));
  }

  async get(id: string): Promise<ApplicationInferenceProfile | undefined> {
    const row = await this.db.selectFrom('inference_profiles').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const tags = await this.db.selectFrom('inference_profile_tags').select(['key', 'value']).where('profile_id', '=', id).orderBy('position').execute();
    return toProfile(row, tags);
  }

  async insert(profile: ApplicationInferenceProfile): Promise<void> {
    try {
      await this.db.transaction().execute(async (transaction) => {
        await transaction
          .insertInto('inference_profiles')
          .values({
            id: profile.id,
            arn: profile.arn,
            name: profile.name,
            description: profile.description ?? null,
            model_source: profile.modelSource,
            model_arns: JSON.stringify(profile.modelArns),
            created_at: profile.createdAt.toISOString(),
            updated_at: profile.updatedAt.toISOString(),
          })
          .execute();
        await writeTags(transaction, profile.id, profile.tags);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new OutcropError('ConflictException', `An inference profile named ${profile.name} already exists.`, { cause: error });
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (transaction) => {
      await transaction.deleteFrom('inference_profile_tags').where('profile_id', '=', id).execute();
      const result = await transaction.deleteFrom('inference_profiles').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  async setTags(id: string, tags: Tag[], updatedAt: Date): Promise<boolean> {
    return this.db.transaction().execute(async (transaction) => {
      const result = await transaction.updateTable('inference_profiles').set({ updated_at: updatedAt.toISOString() }).where('id', '=', id).executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await transaction.deleteFrom('inference_profile_tags').where('profile_id', '=', id).execute();
      await writeTags(transaction, id, tags);
      return true;
    });
  }
}

async function writeTags(db: Database, profileId: string, tags: Tag[]): Promise<void> {
  if (tags.length === 0) return;
  await db
    .insertInto('inference_profile_tags')
    .values(tags.map((tag, position) => ({ profile_id: profileId, key: tag.key, value: tag.value, position })))
    .execute();
}

function toProfile(row: InferenceProfileTables['inference_profiles'], tags: Tag[]): ApplicationInferenceProfile {
  return {
    id: row.id,
    arn: row.arn,
    name: row.name,
    ...(row.description === null ? {} : { description: row.description }),
    modelSource: row.model_source,
    modelArns: JSON.parse(row.model_arns) as string[],
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    tags,
  };
}
