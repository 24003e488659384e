import { randomInt } from 'node:crypto';
import { OutcropError } from '../../errors.js';
import type { ModelCatalog } from '../catalog.js';
import type { ApplicationInferenceProfile, InferenceProfileLookup, InferenceProfileRepository, InferenceProfileView, Tag } from './inference-profile.js';
import { bedrockIdsOf, geographyOf, systemProfile, systemProfilePrefix } from './system-inference-profiles.js';

export interface InferenceProfilesOptions {
  catalog: ModelCatalog;
  repository: InferenceProfileRepository;
  region: string;
  accountId: string;
  now?: () => Date;
  /** a new profile's 12-character ID */
  newId?: () => string;
}

export interface CreateInferenceProfileInput {
  name: string;
  description?: string;
  /** a foundation-model ARN or a system-defined inference profile ARN */
  copyFrom: string;
  tags?: Tag[];
  /** a retried create with the same token returns the profile the first one made */
  clientRequestToken?: string;
}

export interface ListInferenceProfilesInput {
  /** Bedrock lists only system-defined profiles unless asked for `APPLICATION` */
  type?: 'SYSTEM_DEFINED' | 'APPLICATION';
  maxResults?: number;
  nextToken?: string;
}

/** Most tags one resource holds, as AWS allows. */
export const maxTagsPerResource = 50;

const arnPattern = /^arn:aws(?:-[a-z]+)*:bedrock:[^:]*:[^:]*:(inference-profile|application-inference-profile|foundation-model)\/(.+)$/;
const idAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Bedrock's inference profiles: system-defined ones (`us.<model>`) derived from the catalog's
 * Bedrock model IDs, and application profiles created by clients. Application profiles live in
 * memory for the catalog's synchronous lookups, are loaded from the repository at start, and are
 * written through to it; writes run one at a time.
 *
 * @example
 * const profiles = new InferenceProfiles({ catalog, repository: store, region: 'us-east-1', accountId: '000000000000' });
 * await profiles.load();
 * const profile = await profiles.create({ name: 'team-a', copyFrom: 'arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-1-8b-instruct-v1:0' });
 */
export class InferenceProfiles implements InferenceProfileLookup {
  private readonly byId = new Map<string, ApplicationInferenceProfile>();
  private readonly tokens = new Map<string, string>();
  private readonly startedAt: Date;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: InferenceProfilesOptions) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? (() => Array.from({ length: 12 }, () => idAlphabet[randomInt(idAlphabet.length)]).join(''));
    this.startedAt = this.now();
  }

  /** Reads every application profile from the repository into memory. */
  async load(): Promise<void> {
    const profiles = await this.options.repository.list();
    this.byId.clear();
    for (const profile of profiles) this.byId.set(profile.id, profile);
  }

  findApplicationProfile(idOrArn: string): ApplicationInferenceProfile | undefined {
    if (idOrArn.startsWith('arn:')) {
      const arn = arnPattern.exec(idOrArn);
      return arn?.[1] === 'application-inference-profile' && arn[2] ? this.byId.get(arn[2]) : undefined;
    }
    return this.byId.get(idOrArn);
  }

  async create(input: CreateInferenceProfileInput): Promise<ApplicationInferenceProfile> {
    return this.exclusive(async () => {
      const earlier = input.clientRequestToken ? this.byId.get(this.tokens.get(input.clientRequestToken) ?? '') : undefined;
      if (earlier) return earlier;
      if ([...this.byId.values()].some((profile) => profile.name === input.name)) {
        throw new OutcropError('ConflictException', `An inference profile named ${input.name} already exists.`);
      }
      const tags = mergeTags([], input.tags ?? []);
      if (tags.length > maxTagsPerResource) throw tooManyTags(input.name);
      const created = this.now();
      let id = this.newId();
      while (this.byId.has(id)) id = this.newId();
      const profile: ApplicationInferenceProfile = {
        id,
        arn: `arn:aws:bedrock:${this.options.region}:${this.options.accountId}:application-inference-profile/${id}`,
        name: input.name,
        ...(input.description === undefined ? {} : { description: input.description }),
        modelSource: input.copyFrom,
        modelArns: this.modelArnsOf(input.copyFrom),
        createdAt: created,
        updatedAt: created,
        tags,
      };
      await this.options.repository.insert(profile);
      this.byId.set(id, profile);
      if (input.clientRequestToken) this.tokens.set(input.clientRequestToken, id);
      return profile;
    });
  }

  /** GetInferenceProfile: an application profile by ID or ARN, or a system-defined one. */
  get(identifier: string): InferenceProfileView {
    const application = this.findApplicationProfile(identifier);
    if (application) return viewOf(application);
    const system = this.findSystemProfile(identifier);
    if (system) return system;
    throw notFound(identifier);
  }

  /** ListInferenceProfiles: one page, in a stable order, with a token for the next. */
  list(input: ListInferenceProfilesInput): { profiles: InferenceProfileView[]; nextToken?: string } {
    const all = ((input.type ?? 'SYSTEM_DEFINED') === 'SYSTEM_DEFINED' ? this.systemProfiles() : [...this.byId.values()].map(viewOf))
      .map((profile) => ({ profile, key: sortKey(profile) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const after = input.nextToken === undefined ? undefined : decodeToken(input.nextToken);
    const rest = after === undefined ? all : all.filter(({ key }) => key > after);
    const page = rest.slice(0, input.maxResults ?? 1000);
    const last = page[page.length - 1];
    const profiles = page.map(({ profile }) => profile);
    return rest.length > page.length && last ? { profiles, nextToken: encodeToken(last.key) } : { profiles };
  }

  async delete(identifier: string): Promise<void> {
    await this.exclusive(async () => {
      const profile = this.findApplicationProfile(identifier);
      if (!profile) {
        if (this.findSystemProfile(identifier)) throw new OutcropError('ValidationException', 'System-defined inference profiles cannot be deleted.');
        throw notFound(identifier);
      }
      await this.options.repository.delete(profile.id);
      this.byId.delete(profile.id);
    });
  }

  /** ListTagsForResource on a profile ARN (a system-defined profile has none). */
  tagsOf(arn: string): Tag[] {
    if (!this.findApplicationProfile(arn) && this.findSystemProfile(arn)) return [];
    return this.taggable(arn).tags;
  }

  /** TagResource: adds tags, replacing the values of keys already there. */
  async tag(arn: string, tags: Tag[]): Promise<void> {
    await this.exclusive(() => this.replaceTags(arn, (current) => mergeTags(current, tags)));
  }

  /** UntagResource: removes the tags with these keys (absent keys are ignored). */
  async untag(arn: string, keys: string[]): Promise<void> {
    const removed = new Set(keys);
    await this.exclusive(() => this.replaceTags(arn, (current) => current.filter((tag) => !removed.has(tag.key))));
  }

  /** The system-defined profiles of the catalog's Bedrock model IDs, in this region's geography. */
  systemProfiles(): InferenceProfileView[] {
    const prefix = geographyOf(this.options.region);
    const context = { region: this.options.region, accountId: this.options.accountId, createdAt: this.startedAt };
    return this.options.catalog.entries
      .flatMap((entry) => bedrockIdsOf(entry).map((bedrockId) => systemProfile(prefix, bedrockId, entry, context)));
  }

  private async replaceTags(arn: string, change: (current: Tag[]) => Tag[]): Promise<void> {
    const profile = this.taggable(arn);
    const tags = change(profile.tags);
    if (tags.length > maxTagsPerResource) throw tooManyTags(arn);
    const updatedAt = this.now();
    if (!(await this.options.repository.setTags(profile.id, tags, updatedAt))) throw notFound(arn);
    this.byId.set(profile.id, { ...profile, tags, updatedAt });
  }

  private taggable(arn: string): ApplicationInferenceProfile {
    const profile = this.findApplicationProfile(arn);
    if (profile) return profile;
    if (this.findSystemProfile(arn)) throw new OutcropError('ValidationException', 'System-defined inference profiles cannot be tagged.');
    throw new OutcropError('ResourceNotFoundException', `The resource ${arn} was not found.`);
  }

  /** A system-defined profile by ID (`us.<model>`) or ARN, when its model is in the catalog. */
  private findSystemProfile(identifier: string): InferenceProfileView | undefined {
    const arn = arnPattern.exec(identifier);
    if (arn && arn[1] !== 'inference-profile') return undefined;
    const id = arn?.[2] ?? identifier;
    const [, prefix, bedrockId] = systemProfilePrefix.exec(id) ?? [];
    if (!prefix || !bedrockId) return undefined;
    const entry = this.options.catalog.find(bedrockId)?.entry;
    if (!entry || !bedrockIdsOf(entry).includes(bedrockId)) return undefined;
    return systemProfile(prefix, bedrockId, entry, { region: this.options.region, accountId: this.options.accountId, createdAt: this.startedAt });
  }

  /** The foundation-model ARNs a `copyFrom` stands for; an unknown source is `ResourceNotFoundException`. */
  private modelArnsOf(copyFrom: string): string[] {
    const arn = arnPattern.exec(copyFrom);
    if (arn?.[1] === 'foundation-model' && arn[2] && this.options.catalog.find(arn[2])) {
      return [`arn:aws:bedrock:${this.options.region}::foundation-model/${arn[2]}`];
    }
    if (arn?.[1] === 'inference-profile') {
      const system = this.findSystemProfile(copyFrom);
      if (system) return system.modelArns;
    }
    throw new OutcropError('ResourceNotFoundException', `The model or inference profile ${copyFrom} was not found.`);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(work, work);
    this.writes = run.catch(() => {});
    return run;
  }
}

function viewOf(profile: ApplicationInferenceProfile): InferenceProfileView {
  return {
    id: profile.id,
    arn: profile.arn,
    name: profile.name,
    ...(profile.description === undefined ? {} : { description: profile.description }),
    type: 'APPLICATION',
    modelArns: profile.modelArns,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
  };
}

/** Later values win for a repeated key; new keys keep their order after the existing ones. */
function mergeTags(current: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(current.map((tag) => [tag.key, tag.value]));
  for (const tag of added) merged.set(tag.key, tag.value);
  return [...merged].map(([key, value]) => ({ key, value }));
}

function sortKey(profile: InferenceProfileView): string {
  return profile.type === 'SYSTEM_DEFINED' ? profile.id : `${profile.createdAt.toISOString()} ${profile.id}`;
}

function encodeToken(key: string): string {
  return Buffer.from(JSON.stringify({ after: key })).toString('base64url');
}

function decodeToken(token: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const after = (parsed as { after?: unknown } | null)?.after;
    if (typeof after === 'string') return after;
  } catch {
    // falls through
  }
  throw new OutcropError('ValidationException', 'The provided pagination token is invalid.');
}

function notFound(identifier: string): OutcropError {
  return new OutcropError('ResourceNotFoundException', `The inference profile ${identifier} was not found.`);
}

function tooManyTags(resource: string): OutcropError {
  return new OutcropError('TooManyTagsException', `A resource can have at most ${maxTagsPerResource} tags.`, { fields: { resourceName: resource } });
}
