import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tag } from '../../models/inference-profiles/inference-profile.js';
import { GuardrailEngine } from '../guardrail-engine.js';
import type { GuardrailRecord, GuardrailRepository, GuardrailVersionRecord } from './guardrail-record.js';
import { Guardrails, maxVersionsPerGuardrail } from './guardrails.js';

/** A repository in memory, so the registry's rules are tested without a database. */
function memoryRepository(): GuardrailRepository & { rows: Map<string, GuardrailRecord> } {
  const rows = new Map<string, GuardrailRecord>();
  return {
    rows,
    list: async () => [...rows.values()],
    insert: async (guardrail) => {
      rows.set(guardrail.id, structuredClone(guardrail));
    },
    updateVersion: async (version) => {
      const guardrail = rows.get(version.guardrailId);
      if (!guardrail?.versions.some((item) => item.version === version.version)) return false;
      guardrail.versions = guardrail.versions.map((item) => (item.version === version.version ? version : item));
      return true;
    },
    insertVersion: async (version, lastVersion) => {
      const guardrail = rows.get(version.guardrailId)!;
      guardrail.versions.push(version);
      guardrail.lastVersion = lastVersion;
    },
    deleteVersion: async (id, version) => {
      const guardrail = rows.get(id);
      const before = guardrail?.versions.length ?? 0;
      if (guardrail) guardrail.versions = guardrail.versions.filter((item) => item.version !== version);
      return (guardrail?.versions.length ?? 0) < before;
    },
    delete: async (id) => rows.delete(id),
    setTags: async (id: string, tags: Tag[]) => {
      const guardrail = rows.get(id);
      if (guardrail) guardrail.tags = tags;
      return Boolean(guardrail);
    },
  };
}

const definition = (word: string): GuardrailVersionRecord['definition'] => ({ wordPolicy: { words: [{ text: word }] }, blockedInputMessaging: 'blocked in', blockedOutputsMessaging: 'blocked out' });

function registry() {
  const repository = memoryRepository();
  let id = 0;
  const guardrails = new Guardrails({ repository, engine: new GuardrailEngine(), region: 'eu-west-1', accountId: '123456789012', newId: () => `gr${String(++id).padStart(10, '0')}` });
  return { guardrails, repository };
}

describe('guardrail registry', () => {
  it('creates a DRAFT, answers a retried create with the same guardrail, and refuses a taken name', async () => {
    const { guardrails } = registry();
    const first = await guardrails.create({ name: 'support', definition: definition('alpha'), clientRequestToken: 'token-1' });
    assert.equal(first.arn, 'arn:aws:bedrock:eu-west-1:123456789012:guardrail/gr0000000001');
    const retried = await guardrails.create({ name: 'support', definition: definition('alpha'), clientRequestToken: 'token-1' });
    assert.equal(retried.guardrailId, first.guardrailId);
    await assert.rejects(guardrails.create({ name: 'support', definition: definition('beta') }), { name: 'ConflictException' });
  });

  it('numbers versions without reusing a deleted number, and keeps each version frozen', async () => {
    const { guardrails } = registry();
    const created = await guardrails.create({ name: 'numbers', definition: definition('alpha') });
    assert.equal((await guardrails.createVersion(created.guardrailId)).version, '1');
    assert.equal((await guardrails.createVersion(created.guardrailId)).version, '2');
    await guardrails.delete(created.guardrailId, '2');
    assert.equal((await guardrails.createVersion(created.guardrailId)).version, '3');
    await guardrails.update(created.guardrailId, { name: 'numbers', definition: definition('beta') });
    const blockedIn = async (version: string, text: string) => (await guardrails.apply(created.guardrailId, version, { source: 'INPUT', content: [{ text }] })).evaluation.blocked;
    assert.equal(await blockedIn('1', 'alpha'), true);
    assert.equal(await blockedIn('1', 'beta'), false);
    assert.equal(await blockedIn('DRAFT', 'beta'), true);
    await assert.rejects(guardrails.delete(created.guardrailId, 'DRAFT'), { name: 'ValidationException' });
  });

  it('enforces the version quota and validates definitions on write', async () => {
    const { guardrails } = registry();
    const created = await guardrails.create({ name: 'quota', definition: definition('alpha') });
    for (let index = 0; index < maxVersionsPerGuardrail; index++) await guardrails.createVersion(created.guardrailId);
    await assert.rejects(guardrails.createVersion(created.guardrailId), { name: 'ServiceQuotaExceededException' });
    await assert.rejects(
      guardrails.update(created.guardrailId, { name: 'quota', definition: { ...definition('x'), contentPolicy: { filters: [{ type: 'PROMPT_ATTACK', inputStrength: 'LOW', outputStrength: 'LOW' }] } } }),
      { name: 'ValidationException' },
    );
  });

  it('loads what the repository holds, and pages lists', async () => {
    const { guardrails, repository } = registry();
    for (const name of ['a', 'b', 'c']) await guardrails.create({ name, definition: definition(name) });
    const reloaded = new Guardrails({ repository, engine: new GuardrailEngine(), region: 'eu-west-1', accountId: '123456789012' });
    await reloaded.load();
    const first = reloaded.list({ maxResults: 2 });
    assert.deepEqual(first.guardrails.map((guardrail) => guardrail.name), ['a', 'b']);
    const second = reloaded.list({ maxResults: 2, nextToken: first.nextToken! });
    assert.deepEqual(second.guardrails.map((guardrail) => guardrail.name), ['c']);
    assert.equal(second.nextToken, undefined);
    assert.throws(() => reloaded.get('nosuchguardrail'), { name: 'ResourceNotFoundException' });
  });

  it('tags by ARN', async () => {
    const { guardrails } = registry();
    const created = await guardrails.create({ name: 'tags', definition: definition('a'), tags: [{ key: 'team', value: 'a' }] });
    await guardrails.tag(created.arn, [{ key: 'team', value: 'b' }, { key: 'cost', value: 'x' }]);
    await guardrails.untag(created.arn, ['cost']);
    assert.deepEqual(guardrails.tagsOf(created.arn), [{ key: 'team', value: 'b' }]);
  });
});
