import { randomInt } from 'node:crypto';
import { OutcropError } from '../../errors.js';
import type { Tag } from '../../models/inference-profiles/inference-profile.js';
import type { GuardrailEvaluation, GuardrailInput } from '../guardrail-assessment.js';
import type { CompiledGuardrail, GuardrailEngine } from '../guardrail-engine.js';
import type { GuardrailCall, GuardrailObserver } from '../interventions/guardrail-intervention.js';
import type { GuardrailRecord, GuardrailRepository, GuardrailVersionRecord } from './guardrail-record.js';

export interface GuardrailsOptions {
  repository: GuardrailRepository;
  engine: GuardrailEngine;
  region: string;
  accountId: string;
  now?: () => Date;
  /** a new guardrail's 12-character ID */
  newId?: () => string;
  /** told of every evaluation (metrics, intervention records); awaited, must not throw */
  observer?: GuardrailObserver;
}

export interface GuardrailInputFields {
  name: string;
  description?: string;
  definition: GuardrailVersionRecord['definition'];
  kmsKeyId?: string;
}

/** Numbered versions one guardrail may have, as Bedrock's quota allows. */
export const maxVersionsPerGuardrail = 20;
/** Most tags one resource holds. */
export const maxTagsPerGuardrail = 50;

const arnPattern = /^arn:aws(?:-[a-z]+)*:bedrock:[^:]*:[^:]*:guardrail\/([a-z0-9]+)$/;
const idAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Bedrock guardrails: CreateGuardrail makes a guardrail and its DRAFT, UpdateGuardrail replaces the
 * DRAFT, CreateGuardrailVersion freezes the DRAFT as the next numbered, immutable version. Guardrails
 * live in memory, loaded from the repository at start and written through; writes run one at a time.
 * Definitions are validated by the engine when written, and compiled once per version for
 * evaluation.
 *
 * @example
 * const guardrails = new Guardrails({ repository: store, engine, region: 'us-east-1', accountId: '000000000000' });
 * await guardrails.load();
 * const created = await guardrails.create({ name: 'support', definition: { ..., blockedInputMessaging: 'No.', blockedOutputsMessaging: 'No.' } });
 * const result = await guardrails.apply(created.id, 'DRAFT', { source: 'INPUT', content: [{ text: 'hello' }] });
 */
export class Guardrails {
  private readonly byId = new Map<string, GuardrailRecord>();
  private readonly tokens = new Map<string, { guardrailId: string; version: string }>();
  private readonly compiled = new Map<string, Promise<CompiledGuardrail>>();
  private readonly now: () => Date;
  private readonly newId: () => string;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: GuardrailsOptions) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? (() => Array.from({ length: 12 }, () => idAlphabet[randomInt(idAlphabet.length)]).join(''));
  }

  async load(): Promise<void> {
    this.byId.clear();
    for (const guardrail of await this.options.repository.list()) this.byId.set(guardrail.id, guardrail);
  }

  /** CreateGuardrail: a new guardrail whose DRAFT holds the definition. */
  async create(input: GuardrailInputFields & { tags?: Tag[]; clientRequestToken?: string }): Promise<GuardrailVersionRecord & { arn: string }> {
    return this.exclusive(async () => {
      const earlier = input.clientRequestToken ? this.tokens.get(`create:${input.clientRequestToken}`) : undefined;
      const existing = earlier ? this.byId.get(earlier.guardrailId) : undefined;
      if (existing) return { ...this.versionOf(existing, 'DRAFT'), arn: existing.arn };
      this.assertNameFree(input.name);
      await this.options.engine.compile(input.definition);
      const tags = mergeTags([], input.tags ?? []);
      if (tags.length > maxTagsPerGuardrail) throw tooManyTags(input.name);
      let id = this.newId();
      while (this.byId.has(id)) id = this.newId();
      const created = this.now();
      const draft = this.draftOf(id, input, created, created);
      const guardrail: GuardrailRecord = { id, arn: this.arnOf(id), createdAt: created, lastVersion: 0, tags, versions: [draft] };
      await this.options.repository.insert(guardrail);
      this.byId.set(id, guardrail);
      if (input.clientRequestToken) this.tokens.set(`create:${input.clientRequestToken}`, { guardrailId: id, version: 'DRAFT' });
      return { ...draft, arn: guardrail.arn };
    });
  }

  /** UpdateGuardrail: replaces the DRAFT; numbered versions keep what they froze. */
  async update(identifier: string, input: GuardrailInputFields): Promise<GuardrailVersionRecord & { arn: string }> {
    return this.exclusive(async () => {
      const guardrail = this.guardrailOf(identifier);
      this.assertNameFree(input.name, guardrail.id);
      await this.options.engine.compile(input.definition);
      const current = this.versionOf(guardrail, 'DRAFT');
      const draft = this.draftOf(guardrail.id, input, current.createdAt, this.now());
      if (!(await this.options.repository.updateVersion(draft))) throw notFound(identifier);
      this.replace({ ...guardrail, versions: guardrail.versions.map((version) => (version.version === 'DRAFT' ? draft : version)) });
      return { ...draft, arn: guardrail.arn };
    });
  }

  /** CreateGuardrailVersion: the DRAFT frozen as the next number. */
  async createVersion(identifier: string, input: { description?: string; clientRequestToken?: string } = {}): Promise<{ guardrailId: string; version: string }> {
    return this.exclusive(async () => {
      const guardrail = this.guardrailOf(identifier);
      const earlier = input.clientRequestToken ? this.tokens.get(`version:${guardrail.id}:${input.clientRequestToken}`) : undefined;
      if (earlier) return earlier;
      if (guardrail.versions.length - 1 >= maxVersionsPerGuardrail) {
        throw new OutcropError('ServiceQuotaExceededException', `Guardrail ${guardrail.id} already has ${maxVersionsPerGuardrail} versions; delete one before creating another.`);
      }
      const draft = this.versionOf(guardrail, 'DRAFT');
      const number = guardrail.lastVersion + 1;
      const created = this.now();
      const version: GuardrailVersionRecord = {
        ...draft,
        version: String(number),
        ...(input.description === undefined ? {} : { description: input.description }),
        createdAt: created,
        updatedAt: created,
      };
      await this.options.repository.insertVersion(version, number);
      this.replace({ ...guardrail, lastVersion: number, versions: [...guardrail.versions, version] });
      const result = { guardrailId: guardrail.id, version: version.version };
      if (input.clientRequestToken) this.tokens.set(`version:${guardrail.id}:${input.clientRequestToken}`, result);
      return result;
    });
  }

  /** GetGuardrail: one version (DRAFT by default). */
  get(identifier: string, version = 'DRAFT'): GuardrailVersionRecord & { arn: string } {
    const guardrail = this.guardrailOf(identifier);
    return { ...this.versionOf(guardrail, version), arn: guardrail.arn };
  }

  /**
   * ListGuardrails: the DRAFT of every guardrail, or every version of one guardrail when an
   * identifier is given; one page in a stable order, with a token for the next.
   */
  list(input: { identifier?: string; maxResults?: number; nextToken?: string } = {}): { guardrails: Array<GuardrailVersionRecord & { arn: string }>; nextToken?: string } {
    const all =
      input.identifier === undefined
        ? [...this.byId.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id)).map((guardrail) => ({ ...this.versionOf(guardrail, 'DRAFT'), arn: guardrail.arn }))
        : this.guardrailOf(input.identifier).versions.map((version) => ({ ...version, arn: this.arnOf(version.guardrailId) }));
    let start = 0;
    if (input.nextToken !== undefined) {
      start = Number(Buffer.from(input.nextToken, 'base64url').toString('utf8'));
      if (!Number.isInteger(start) || start < 0) throw new OutcropError('ValidationException', 'The nextToken is not valid.');
    }
    const size = input.maxResults ?? 100;
    const page = all.slice(start, start + size);
    return start + size < all.length ? { guardrails: page, nextToken: Buffer.from(String(start + size)).toString('base64url') } : { guardrails: page };
  }

  /** DeleteGuardrail: one numbered version, or the guardrail with every version. */
  async delete(identifier: string, version?: string): Promise<void> {
    await this.exclusive(async () => {
      const guardrail = this.guardrailOf(identifier);
      if (version !== undefined) {
        this.versionOf(guardrail, version);
        if (version === 'DRAFT') throw new OutcropError('ValidationException', 'The DRAFT version cannot be deleted on its own; delete the guardrail.');
        if (!(await this.options.repository.deleteVersion(guardrail.id, version))) throw notFound(identifier, version);
        this.replace({ ...guardrail, versions: guardrail.versions.filter((item) => item.version !== version) });
        return;
      }
      await this.options.repository.delete(guardrail.id);
      this.byId.delete(guardrail.id);
      for (const key of this.compiled.keys()) if (key.startsWith(`${guardrail.id}:`)) this.compiled.delete(key);
    });
  }

  /**
   * ApplyGuardrail (and guardrails on model calls): evaluates content against one version.
   *
   * @example
   * const { evaluation } = await guardrails.apply('abc123def456', '1', { source: 'OUTPUT', content: [{ text }] }, { operation: 'Converse' });
   */
  async apply(
    identifier: string,
    version: string,
    input: GuardrailInput,
    call: GuardrailCall = { operation: 'ApplyGuardrail' },
  ): Promise<{ evaluation: GuardrailEvaluation; guardrail: GuardrailVersionRecord & { arn: string } }> {
    const guardrail = this.guardrailOf(identifier);
    const record = this.versionOf(guardrail, version);
    const key = `${guardrail.id}:${record.version}:${record.updatedAt.getTime()}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      // A DRAFT updated since its last use: drop the stale compilation.
      for (const stale of this.compiled.keys()) if (stale.startsWith(`${guardrail.id}:${record.version}:`)) this.compiled.delete(stale);
      compiled = this.options.engine.compile(record.definition);
      compiled.catch(() => this.compiled.delete(key));
      this.compiled.set(key, compiled);
    }
    const started = performance.now();
    const observed = { guardrailId: guardrail.id, guardrailVersion: record.version, source: input.source, call };
    let evaluation: GuardrailEvaluation;
    try {
      evaluation = await this.options.engine.evaluate(await compiled, input);
    } catch (error) {
      this.options.observer?.failed?.({ ...observed, latencyMs: performance.now() - started, error });
      throw error;
    }
    await this.options.observer?.evaluated({ ...observed, latencyMs: performance.now() - started, evaluation, content: input.content });
    return { evaluation, guardrail: { ...record, arn: guardrail.arn } };
  }

  tagsOf(arn: string): Tag[] {
    return this.guardrailOf(arn).tags;
  }

  async tag(arn: string, tags: Tag[]): Promise<void> {
    await this.exclusive(() => this.replaceTags(arn, (current) => mergeTags(current, tags)));
  }

  async untag(arn: string, keys: string[]): Promise<void> {
    const removed = new Set(keys);
    await this.exclusive(() => this.replaceTags(arn, (current) => current.filter((tag) => !removed.has(tag.key))));
  }

  private async replaceTags(arn: string, change: (current: Tag[]) => Tag[]): Promise<void> {
    const guardrail = this.guardrailOf(arn);
    const tags = change(guardrail.tags);
    if (tags.length > maxTagsPerGuardrail) throw tooManyTags(arn);
    if (!(await this.options.repository.setTags(guardrail.id, tags))) throw notFound(arn);
    this.replace({ ...guardrail, tags });
  }

  private draftOf(id: string, input: GuardrailInputFields, createdAt: Date, updatedAt: Date): GuardrailVersionRecord {
    return {
      guardrailId: id,
      version: 'DRAFT',
      name: input.name,
      ...(input.description === undefined ? {} : { description: input.description }),
      definition: input.definition,
      ...(input.kmsKeyId === undefined ? {} : { kmsKeyId: input.kmsKeyId }),
      createdAt,
      updatedAt,
    };
  }

  private assertNameFree(name: string, except?: string): void {
    for (const guardrail of this.byId.values()) {
      if (guardrail.id !== except && this.versionOf(guardrail, 'DRAFT').name === name) throw new OutcropError('ConflictException', `A guardrail named ${name} already exists.`);
    }
  }

  private guardrailOf(identifier: string): GuardrailRecord {
    const id = identifier.startsWith('arn:') ? arnPattern.exec(identifier)?.[1] : identifier;
    const guardrail = id === undefined ? undefined : this.byId.get(id);
    if (!guardrail) throw notFound(identifier);
    return guardrail;
  }

  private versionOf(guardrail: GuardrailRecord, version: string): GuardrailVersionRecord {
    const found = guardrail.versions.find((item) => item.version === version);
    if (!found) throw notFound(guardrail.id, version);
    return found;
  }

  private replace(guardrail: GuardrailRecord): void {
    this.byId.set(guardrail.id, guardrail);
  }

  private arnOf(id: string): string {
    return `arn:aws:bedrock:${this.options.region}:${this.options.accountId}:guardrail/${id}`;
  }

  private exclusive<T>(write: () => Promise<T>): Promise<T> {
    const run = this.writes.then(write, write);
    this.writes = run.catch(() => {});
    return run;
  }
}

function notFound(identifier: string, version?: string): OutcropError {
  return new OutcropError('ResourceNotFoundException', version === undefined ? `The guardrail ${identifier} was not found.` : `Version ${version} of guardrail ${identifier} was not found.`);
}

function tooManyTags(resource: string): OutcropError {
  return new OutcropError('ValidationException', `The resource ${resource} would have more than ${maxTagsPerGuardrail} tags.`);
}

function mergeTags(current: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(current.map((tag) => [tag.key, tag.value]));
  for (const tag of added) merged.set(tag.key, tag.value);
  return [...merged].map(([key, value]) => ({ key, value }));
}

