import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcropError } from '../../errors.js';
import type { LanguageModel, StreamPart } from '../../inference/language-model.js';
import { type CatalogModel, ModelCatalog } from '../catalog.js';
import type { Provider } from '../provider.js';
import type { ApplicationInferenceProfile, InferenceProfileRepository, Tag, UsageRecord } from './inference-profile.js';
import { InferenceProfiles } from './inference-profiles.js';

const capabilities = { images: false, documents: false, tools: true, systemPrompt: true };
const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
const haikuArn = `arn:aws:bedrock:us-east-1::foundation-model/${haiku}`;

/** A repository in memory that can be told to fail. */
function memoryRepository(): InferenceProfileRepository & { rows: Map<string, ApplicationInferenceProfile>; failNext: boolean } {
  const rows = new Map<string, ApplicationInferenceProfile>();
  return {
    rows,
    failNext: false,
    async list() {
      return [...rows.values()];
    },
    async insert(profile) {
      if (this.failNext) {
        this.failNext = false;
        throw new Error('disk full');
      }
      rows.set(profile.id, profile);
    },
    async delete(id) {
      return rows.delete(id);
    },
    async setTags(id: string, tags: Tag[], updatedAt: Date) {
      const row = rows.get(id);
      if (!row) return false;
      rows.set(id, { ...row, tags, updatedAt });
      return true;
    },
  };
}

function textModel(): LanguageModel {
  return {
    specificationVersion: 'outcrop.v1',
    provider: 'local',
    modelId: 'up',
    capabilities,
    generate: async () => ({ content: [{ type: 'text', text: 'hi' }], finishReason: 'stop', usage: { inputTokens: 11, outputTokens: 4 }, warnings: [] }),
    stream: async () => ({
      stream: new ReadableStream<StreamPart>({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 7, outputTokens: 9 } });
          controller.close();
        },
      }),
    }),
    countTokens: async () => 11,
  };
}

function entry(id: string, aliases: string[] = []): CatalogModel {
  return {
    id,
    kind: 'text',
    name: `Model ${id}`,
    providerName: 'Local',
    provider: 'local',
    upstreamModel: id,
    family: 'anthropic',
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    streaming: true,
    capabilities,
    aliases,
  };
}

function setUp(options: { region?: string } = {}) {
  const provider: Provider = { name: 'local', type: 'fake', languageModel: () => textModel(), close: async () => {} };
  const usage: UsageRecord[] = [];
  let profiles: InferenceProfiles | undefined;
  const catalog = new ModelCatalog([entry('outcrop.text', [haiku]), entry('meta.llama3-1-8b-instruct-v1:0'), entry('house-model')], new Map([['local', provider]]), {
    profiles: { findApplicationProfile: (id) => profiles?.findApplicationProfile(id) },
    onUsage: (record) => usage.push(record),
  });
  const repository = memoryRepository();
  let counter = 0;
  profiles = new InferenceProfiles({
    catalog,
    repository,
    region: options.region ?? 'us-east-1',
    accountId: '123456789012',
    newId: () => `abcdefgh${String(counter++).padStart(4, '0')}`,
    now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, counter)),
  });
  return { catalog, profiles, repository, usage };
}

const isCode = (code: string) => (error: unknown) => OutcropError.isInstance(error) && error.code === code;

describe('system-defined inference profiles', () => {
  it("lists one per Bedrock model ID in the catalog, in the region's geography", () => {
    const { profiles } = setUp();
    const { profiles: listed } = profiles.list({});
    assert.deepEqual(
      listed.map((profile) => profile.id),
      [`us.${haiku}`, 'us.meta.llama3-1-8b-instruct-v1:0'],
    );
    assert.deepEqual(listed[0], {
      id: `us.${haiku}`,
      arn: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${haiku}`,
      name: 'US Model outcrop.text',
      description: 'Routes requests to Model outcrop.text on this server',
      type: 'SYSTEM_DEFINED',
      modelArns: [haikuArn],
      createdAt: listed[0]?.createdAt,
      updatedAt: listed[0]?.createdAt,
    });
    assert.equal(setUp({ region: 'eu-west-1' }).profiles.list({}).profiles[0]?.id, `eu.${haiku}`);
    assert.equal(setUp({ region: 'ap-northeast-1' }).profiles.list({}).profiles[0]?.id, `apac.${haiku}`);
  });

  it('gets one by ID or ARN under any geography prefix the runtime accepts, and 404s others', () => {
    const { profiles } = setUp();
    assert.equal(profiles.get(`global.${haiku}`).type, 'SYSTEM_DEFINED');
    assert.equal(profiles.get(`arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${haiku}`).id, `us.${haiku}`);
    assert.throws(() => profiles.get('us.house-model'), isCode('ResourceNotFoundException'));
    assert.throws(() => profiles.get('us.anthropic.claude-unknown-v9:0'), isCode('ResourceNotFoundException'));
  });

  it('cannot be deleted or tagged', async () => {
    const { profiles } = setUp();
    await assert.rejects(profiles.delete(`us.${haiku}`), isCode('ValidationException'));
    const arn = `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${haiku}`;
    await assert.rejects(profiles.tag(arn, [{ key: 'a', value: 'b' }]), isCode('ValidationException'));
    assert.deepEqual(profiles.tagsOf(arn), []);
  });
});

describe('application inference profiles', () => {
  it('creates one from a foundation model, persists it, and finds it by ID and ARN', async () => {
    const { profiles, repository } = setUp();
    const created = await profiles.create({ name: 'team a', copyFrom: haikuArn, description: 'For team A', tags: [{ key: 'team', value: 'a' }] });
    assert.match(created.id, /^[a-z0-9]{12}$/);
    assert.equal(created.arn, `arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/${created.id}`);
    assert.deepEqual(created.modelArns, [haikuArn]);
    assert.deepEqual(repository.rows.get(created.id), created);
    assert.equal(profiles.findApplicationProfile(created.id), created);
    assert.equal(profiles.findApplicationProfile(created.arn), created);
    assert.deepEqual(profiles.get(created.arn), {
      id: created.id,
      arn: created.arn,
      name: 'team a',
      description: 'For team A',
      type: 'APPLICATION',
      modelArns: [haikuArn],
      createdAt: created.createdAt,
      updatedAt: created.updatedAt,
    });
  });

  it('copies the models of a system-defined profile', async () => {
    const { profiles } = setUp();
    const created = await profiles.create({ name: 'copy', copyFrom: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${haiku}` });
    assert.deepEqual(created.modelArns, [haikuArn]);
  });

  it('refuses a taken name (ConflictException) and an unknown source (ResourceNotFoundException)', async () => {
    const { profiles } = setUp();
    await profiles.create({ name: 'one', copyFrom: haikuArn });
    await assert.rejects(profiles.create({ name: 'one', copyFrom: haikuArn }), isCode('ConflictException'));
    await assert.rejects(profiles.create({ name: 'two', copyFrom: 'arn:aws:bedrock:us-east-1::foundation-model/nobody.model-v1:0' }), isCode('ResourceNotFoundException'));
    await assert.rejects(profiles.create({ name: 'three', copyFrom: 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.house-model' }), isCode('ResourceNotFoundException'));
  });

  it('answers a retried create with the same client token with the first profile', async () => {
    const { profiles } = setUp();
    const first = await profiles.create({ name: 'once', copyFrom: haikuArn, clientRequestToken: 'token-1' });
    const again = await profiles.create({ name: 'once', copyFrom: haikuArn, clientRequestToken: 'token-1' });
    assert.equal(again.id, first.id);
  });

  it('keeps memory and the repository in step when a write fails', async () => {
    const { profiles, repository } = setUp();
    repository.failNext = true;
    await assert.rejects(profiles.create({ name: 'doomed', copyFrom: haikuArn }), /disk full/);
    assert.deepEqual(profiles.list({ type: 'APPLICATION' }).profiles, []);
    await profiles.create({ name: 'doomed', copyFrom: haikuArn });
  });

  it('serializes concurrent creates, so one name is taken once', async () => {
    const { profiles } = setUp();
    const results = await Promise.allSettled([1, 2, 3].map(() => profiles.create({ name: 'race', copyFrom: haikuArn })));
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
  });

  it('lists application profiles only when asked, in pages', async () => {
    const { profiles } = setUp();
    const created = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) created.push(await profiles.create({ name, copyFrom: haikuArn }));
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = profiles.list({ type: 'APPLICATION', maxResults: 2, ...(nextToken ? { nextToken } : {}) });
      seen.push(...page.profiles.map((profile) => profile.name));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e']);
    assert.equal(pages, 3);
    assert.ok(profiles.list({}).profiles.every((profile) => profile.type === 'SYSTEM_DEFINED'));
    assert.throws(() => profiles.list({ nextToken: 'not-a-token' }), isCode('ValidationException'));
  });

  it('deletes by ID or ARN, then 404s', async () => {
    const { profiles, repository } = setUp();
    const created = await profiles.create({ name: 'gone', copyFrom: haikuArn });
    await profiles.delete(created.arn);
    assert.equal(repository.rows.size, 0);
    await assert.rejects(profiles.delete(created.id), isCode('ResourceNotFoundException'));
    assert.throws(() => profiles.get(created.id), isCode('ResourceNotFoundException'));
  });

  it('tags, re-tags and untags, and limits a profile to 50 tags', async () => {
    const { profiles, repository } = setUp();
    const { arn, id } = await profiles.create({ name: 'tagged', copyFrom: haikuArn, tags: [{ key: 'a', value: '1' }] });
    await profiles.tag(arn, [
      { key: 'b', value: '2' },
      { key: 'a', value: 'one' },
    ]);
    assert.deepEqual(profiles.tagsOf(arn), [
      { key: 'a', value: 'one' },
      { key: 'b', value: '2' },
    ]);
    await profiles.untag(arn, ['a', 'missing']);
    assert.deepEqual(profiles.tagsOf(arn), [{ key: 'b', value: '2' }]);
    assert.deepEqual(repository.rows.get(id)?.tags, [{ key: 'b', value: '2' }]);
    const many = Array.from({ length: 50 }, (_, index) => ({ key: `k${index}`, value: 'v' }));
    await assert.rejects(profiles.tag(arn, many), isCode('TooManyTagsException'));
    await assert.rejects(profiles.tag('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/zzzzzzzzzzzz', many), isCode('ResourceNotFoundException'));
  });

  it('loads what the repository holds', async () => {
    const first = setUp();
    const created = await first.profiles.create({ name: 'kept', copyFrom: haikuArn });
    const second = setUp();
    for (const [id, row] of first.repository.rows) second.repository.rows.set(id, row);
    await second.profiles.load();
    assert.equal(second.profiles.findApplicationProfile(created.arn)?.name, 'kept');
  });
});

describe('calls through an application inference profile', () => {
  it('resolve to the copied model with its family, and report usage tagged with the profile', async () => {
    const { catalog, profiles, usage } = setUp();
    const profile = await profiles.create({ name: 'metered', copyFrom: haikuArn, tags: [{ key: 'team', value: 'search' }] });
    const resolved = catalog.resolve(profile.arn);
    assert.equal(resolved.entry.id, 'outcrop.text');
    assert.equal(resolved.family, 'anthropic');
    assert.equal(resolved.profile?.id, profile.id);
    await resolved.model.generate({ prompt: [] });
    const { stream } = await catalog.resolve(profile.id).model.stream({ prompt: [] });
    for await (const _ of stream as unknown as AsyncIterable<StreamPart>);
    assert.deepEqual(usage, [
      { profileArn: profile.arn, profileId: profile.id, modelId: 'outcrop.text', inputTokens: 11, outputTokens: 4, tags: { team: 'search' } },
      { profileArn: profile.arn, profileId: profile.id, modelId: 'outcrop.text', inputTokens: 7, outputTokens: 9, tags: { team: 'search' } },
    ]);
  });

  it('report nothing for calls made by model ID', async () => {
    const { catalog, usage } = setUp();
    await catalog.resolve(haiku).model.generate({ prompt: [] });
    assert.deepEqual(usage, []);
  });

  it('stop resolving once the profile is deleted', async () => {
    const { catalog, profiles } = setUp();
    const profile = await profiles.create({ name: 'short-lived', copyFrom: haikuArn });
    await profiles.delete(profile.id);
    assert.throws(() => catalog.resolve(profile.arn), isCode('ValidationException'));
  });
});
