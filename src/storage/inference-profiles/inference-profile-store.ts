import type { ApplicationInferenceProfile, InferenceProfileRepository } from '../../core/models/inference-profiles/inference-profile.js';

/**
 * Where application inference profiles persist: SQLite (`sqlite/`) or PostgreSQL (`postgres/`).
 * The server keeps them in memory for lookups (see `InferenceProfiles`) and writes through here.
 * Inserting a second profile with a taken name or ID is a `ConflictException`.
 */
export interface InferenceProfileStore extends InferenceProfileRepository {
  get(id: string): Promise<ApplicationInferenceProfile | undefined>;
}
