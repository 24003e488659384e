/** A resource tag, as Bedrock's tagging operations take and return it. */
export interface Tag {
  key: string;
  value: string;
}

/**
 * An application inference profile: a named, taggable handle on one model, created with
 * CreateInferenceProfile. Calls made through it are reported with its ARN and tags.
 */
export interface ApplicationInferenceProfile {
  /** 12 lowercase letters and digits */
  id: string;
  /** `arn:aws:bedrock:{region}:{account}:application-inference-profile/{id}` */
  arn: string;
  name: string;
  description?: string;
  /** the `copyFrom` ARN: a foundation model or a system-defined inference profile */
  modelSource: string;
  /** the foundation-model ARNs the profile routes to */
  modelArns: string[];
  createdAt: Date;
  updatedAt: Date;
  tags: Tag[];
}

/** Either kind of profile, as GetInferenceProfile and ListInferenceProfiles report it. */
export interface InferenceProfileView {
  id: string;
  arn: string;
  name: string;
  description?: string;
  type: 'SYSTEM_DEFINED' | 'APPLICATION';
  modelArns: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** The synchronous lookup the model catalog makes on every call. */
export interface InferenceProfileLookup {
  /** by ID or ARN; undefined when it names no application inference profile */
  findApplicationProfile(idOrArn: string): ApplicationInferenceProfile | undefined;
}

/**
 * Where application inference profiles persist (implemented in `storage/inference-profiles/`).
 * A second profile with a taken name is a `ConflictException`.
 */
export interface InferenceProfileRepository {
  /** every profile, oldest first */
  list(): Promise<ApplicationInferenceProfile[]>;
  insert(profile: ApplicationInferenceProfile): Promise<void>;
  /** false when no such profile exists */
  delete(id: string): Promise<boolean>;
  /** replaces the profile's tags; false when no such profile exists */
  setTags(id: string, tags: Tag[], updatedAt: Date): Promise<boolean>;
}

/** Token usage of one call made through an application inference profile, for metering. */
export interface UsageRecord {
  profileArn: string;
  profileId: string;
  /** the catalog model that served the call */
  modelId: string;
  inputTokens: number;
  outputTokens: number;
  tags: Record<string, string>;
}
