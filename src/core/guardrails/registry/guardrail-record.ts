import type { Tag } from '../../models/inference-profiles/inference-profile.js';
import type { GuardrailDefinition } from '../guardrail-definition.js';

/** One version of a guardrail: the working DRAFT, or an immutable numbered version made from it. */
export interface GuardrailVersionRecord {
  guardrailId: string;
  /** `DRAFT`, or `1`, `2`, ... */
  version: string;
  name: string;
  description?: string;
  /** the policies, with `blockedInputMessaging` and `blockedOutputsMessaging` */
  definition: GuardrailDefinition & { blockedInputMessaging: string; blockedOutputsMessaging: string };
  kmsKeyId?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A guardrail: its identity, tags, and every version it has. */
export interface GuardrailRecord {
  /** 12 lowercase letters and digits */
  id: string;
  /** `arn:aws:bedrock:{region}:{account}:guardrail/{id}` */
  arn: string;
  createdAt: Date;
  /** the highest numbered version ever made (numbers are never reused) */
  lastVersion: number;
  tags: Tag[];
  versions: GuardrailVersionRecord[];
}

/**
 * Where guardrails persist (implemented in `storage/guardrails/`). Versions are rows of their own;
 * a guardrail's DRAFT is replaced in place by UpdateGuardrail.
 */
export interface GuardrailRepository {
  /** every guardrail with its versions and tags */
  list(): Promise<GuardrailRecord[]>;
  /** a new guardrail with its DRAFT */
  insert(guardrail: GuardrailRecord): Promise<void>;
  /** replaces a version row (the DRAFT); false when there is none */
  updateVersion(version: GuardrailVersionRecord): Promise<boolean>;
  /** adds a numbered version and records it as the last one */
  insertVersion(version: GuardrailVersionRecord, lastVersion: number): Promise<void>;
  /** false when no such version exists */
  deleteVersion(guardrailId: string, version: string): Promise<boolean>;
  /** the guardrail, its versions and tags; false when it does not exist */
  delete(guardrailId: string): Promise<boolean>;
  /** false when no such guardrail exists */
  setTags(guardrailId: string, tags: Tag[]): Promise<boolean>;
}
