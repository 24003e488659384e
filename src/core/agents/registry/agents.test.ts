import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentRepository, AgentWrite, StoredAgent } from './agent-records.js';
import { Agents } from './agents.js';

/** An in-memory repository that applies writes the way the SQL store does. */
function memoryRepository(): AgentRepository & { rows: Map<string, StoredAgent>; batches: number } {
  const rows = new Map<string, StoredAgent>();
  const state = {
    rows,
    batches: 0,
    async list() {
      return structuredClone([...rows.values()]);
    },
    async apply(writes: AgentWrite[]) {
      state.batches++;
      for (const write of structuredClone(writes)) {
        if ('delete' in write) {
          const stored = rows.get(write.agentId);
          if (write.delete === 'agent') rows.delete(write.agentId);
          else if (stored && write.delete === 'actionGroup') stored.actionGroups = stored.actionGroups.filter((item) => item.actionGroupId !== write.id);
          else if (stored && write.delete === 'collaborator') stored.collaborators = stored.collaborators.filter((item) => item.collaboratorId !== write.id);
          else if (stored && write.delete === 'knowledgeBase') stored.knowledgeBases = stored.knowledgeBases.filter((item) => item.knowledgeBaseId !== write.id);
          else if (stored && write.delete === 'version') stored.versions = stored.versions.filter((item) => item.version !== write.id);
          else if (stored && write.delete === 'alias') stored.aliases = stored.aliases.filter((item) => item.agentAliasId !== write.id);
          continue;
        }
        if (write.put === 'agent') {
          const stored = rows.get(write.record.agentId);
          rows.set(write.record.agentId, stored ? { ...stored, agent: write.record } : { agent: write.record, actionGroups: [], knowledgeBases: [], collaborators: [], versions: [], aliases: [] });
          continue;
        }
        const stored = rows.get(write.record.agentId) as StoredAgent;
        const put = <T>(items: T[], item: T, same: (candidate: T) => boolean) => (items.some(same) ? items.map((candidate) => (same(candidate) ? item : candidate)) : [...items, item]);
        if (write.put === 'actionGroup') stored.actionGroups = put(stored.actionGroups, write.record, (item) => item.actionGroupId === write.record.actionGroupId);
        if (write.put === 'knowledgeBase') stored.knowledgeBases = put(stored.knowledgeBases, write.record, (item) => item.knowledgeBaseId === write.record.knowledgeBaseId);
        if (write.put === 'collaborator') stored.collaborators = put(stored.collaborators, write.record, (item) => item.collaboratorId === write.record.collaboratorId);
        if (write.put === 'version') stored.versions = put(stored.versions, write.record, (item) => item.version === write.record.version);
        if (write.put === 'alias') stored.aliases = put(stored.aliases, write.record, (item) => item.agentAliasId === write.record.agentAliasId);
      }
    },
  };
  return state;
}

const models = { find: (id: string) => (id === 'outcrop.text' ? { entry: { kind: 'text' } } : id === 'outcrop.embed' ? { entry: { kind: 'embedding' } } : undefined) };
const instruction = 'You answer questions about the weather, briefly and exactly.';
const schema = `openapi: 3.0.0
info: { title: Weather, version: '1' }
paths:
  /now:
    get:
      description: The weather now
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Now' } } } }
components:
  schemas:
    Now: { type: object, properties: { celsius: { type: number } } }
`;

function registry(repository = memoryRepository(), extra: Partial<ConstructorParameters<typeof Agents>[0]> = {}) {
  return new Agents({ repository, models, region: 'eu-west-1', accountId: '123456789012', ...extra });
}

describe('Agents', () => {
  it('resolves TSTALIASID to the prepared DRAFT, and aliases to frozen versions', async () => {
    const agents = registry();
    const agent = await agents.createAgent({ agentName: 'weather', foundationModel: 'outcrop.text', instruction });
    assert.match(agent.agentId, /^[0-9A-Z]{10}$/);
    assert.equal(agent.agentArn, `arn:aws:bedrock:eu-west-1:123456789012:agent/${agent.agentId}`);
    await assert.rejects(agents.resolveAlias(agent.agentId, 'TSTALIASID'), { name: 'ResourceNotFoundException', message: /never been prepared.*PrepareAgent/ });
    await assert.rejects(agents.resolveAlias('NOSUCHAGNT', 'TSTALIASID'), { name: 'ResourceNotFoundException', message: /NOSUCHAGNT/ });
    await assert.rejects(agents.resolveAlias(agent.agentId, 'NOSUCHALIA'), { name: 'ResourceNotFoundException', message: /NOSUCHALIA/ });
    await agents.createActionGroup(agent.agentId, { actionGroupName: 'now', actionGroupState: 'ENABLED', actionGroupExecutor: { lambda: 'arn:aws:lambda:eu-west-1:123456789012:function:now' }, apiSchema: { payload: schema } });
    await agents.prepare(agent.agentId);
    const draft = await agents.resolveAlias(agent.agentId, 'TSTALIASID');
    assert.equal(draft.agentVersion, 'DRAFT');
    assert.equal(draft.idleSessionTTLInSeconds, 600);
    assert.equal(draft.orchestrationType, 'DEFAULT');
    const document = draft.actionGroups[0]?.apiSchema as { paths: { '/now': { get: { responses: { 200: { content: { 'application/json': { schema: unknown } } } } } } } };
    // internal references are resolved for the runtime
    assert.deepEqual(document.paths['/now'].get.responses[200].content['application/json'].schema, { type: 'object', properties: { celsius: { type: 'number' } } });

    const alias = await agents.createAlias(agent.agentId, { agentAliasName: 'live' });
    await agents.updateAgent(agent.agentId, { agentName: 'weather', foundationModel: 'outcrop.text', instruction: `${instruction} In Celsius.` });
    await agents.prepare(agent.agentId);
    assert.equal((await agents.resolveAlias(agent.agentId, alias.agentAliasId)).instruction, instruction);
    assert.equal((await agents.resolveAlias(agent.agentId, alias.agentAliasId)).agentVersion, '1');
    assert.equal((await agents.resolveAlias(agent.agentId, 'TSTALIASID')).instruction, `${instruction} In Celsius.`);
    await agents.updateAlias(agent.agentId, alias.agentAliasId, { agentAliasName: 'live', routingConfiguration: [{ agentVersion: '1' }], aliasInvocationState: 'REJECT_INVOCATIONS' });
    await assert.rejects(agents.resolveAlias(agent.agentId, alias.agentAliasId), { name: 'ValidationException', message: /REJECT_INVOCATIONS/ });
  });

  it('nests a collaborator alias version into the supervisor definition', async () => {
    const agents = registry();
    const worker = await agents.createAgent({ agentName: 'worker', foundationModel: 'outcrop.text', instruction });
    await agents.prepare(worker.agentId);
    const workerAlias = await agents.createAlias(worker.agentId, { agentAliasName: 'v1' });
    const supervisor = await agents.createAgent({ agentName: 'boss', foundationModel: 'outcrop.text', instruction, agentCollaboration: 'SUPERVISOR_ROUTER' });
    await agents.associateCollaborator(supervisor.agentId, { collaboratorName: 'worker', collaborationInstruction: 'Does the work.', agentDescriptor: { aliasArn: workerAlias.agentAliasArn } });
    await agents.prepare(supervisor.agentId);
    const definition = await agents.resolveAlias(supervisor.agentId, 'TSTALIASID');
    assert.equal(definition.agentCollaboration, 'SUPERVISOR_ROUTER');
    assert.equal(definition.collaborators[0]?.collaboratorInstruction, 'Does the work.');
    assert.equal(definition.collaborators[0]?.agentAliasArn, workerAlias.agentAliasArn);
    assert.equal(definition.collaborators[0]?.agent.agentId, worker.agentId);
    assert.equal(definition.collaborators[0]?.agent.agentVersion, '1');
    await assert.rejects(agents.deleteAgent(worker.agentId), { name: 'ConflictException', message: /collaborator of agent/ });
  });

  it('checks models, guardrails, knowledge bases and TTLs when they are set', async () => {
    const guardrails = { get: (id: string, version?: string) => assert.ok(id === 'g1' && version === '1', 'missing') };
    const knowledgeBases = { get: async (id: string) => assert.ok(id === 'KB00000001', Object.assign(new Error(`The knowledge base ${id} was not found.`), { name: 'ResourceNotFoundException' })) };
    const agents = registry(memoryRepository(), { guardrails, knowledgeBases });
    await assert.rejects(agents.createAgent({ agentName: 'a', foundationModel: 'outcrop.embed', instruction }), { name: 'ValidationException', message: /embedding model/ });
    await assert.rejects(agents.createAgent({ agentName: 'a', foundationModel: 'outcrop.text', idleSessionTTLInSeconds: 5401 }), { name: 'ValidationException', message: /5401/ });
    await assert.rejects(agents.createAgent({ agentName: 'a', foundationModel: 'outcrop.text', guardrailConfiguration: { guardrailIdentifier: 'g2', guardrailVersion: '1' } }), { message: /guardrail g2 version 1/ });
    const agent = await agents.createAgent({ agentName: 'a', foundationModel: 'outcrop.text', guardrailConfiguration: { guardrailIdentifier: 'g1', guardrailVersion: '1' } });
    await assert.rejects(agents.prepare(agent.agentId), { name: 'ValidationException', message: /no instruction/ });
    await assert.rejects(agents.associateKnowledgeBase(agent.agentId, { knowledgeBaseId: 'KB00000002', description: 'x' }), { name: 'ResourceNotFoundException' });
    await agents.associateKnowledgeBase(agent.agentId, { knowledgeBaseId: 'KB00000001', description: 'rocks' });
    await assert.rejects(agents.associateKnowledgeBase(agent.agentId, { knowledgeBaseId: 'KB00000001', description: 'rocks' }), { name: 'ConflictException' });
  });

  it('keeps everything across a reload from the repository, and honours client tokens', async () => {
    const repository = memoryRepository();
    const agents = registry(repository);
    const first = await agents.createAgent({ agentName: 'tokened', foundationModel: 'outcrop.text', instruction, clientToken: 'token-0123456789-0123456789-0123456789', tags: { a: '1' } });
    const again = await agents.createAgent({ agentName: 'tokened', foundationModel: 'outcrop.text', instruction, clientToken: 'token-0123456789-0123456789-0123456789' });
    assert.equal(again.agentId, first.agentId);
    await agents.tag(first.agentArn, { b: '2' });
    await agents.untag(first.agentArn, ['a']);
    await agents.prepare(first.agentId);
    const alias = await agents.createAlias(first.agentId, { agentAliasName: 'live', tags: { stage: 'prod' } });
    const reloaded = registry(repository);
    await reloaded.load();
    assert.deepEqual(reloaded.tagsOf(first.agentArn), { b: '2' });
    assert.deepEqual(reloaded.tagsOf(alias.agentAliasArn), { stage: 'prod' });
    assert.equal((await reloaded.resolveAlias(first.agentId, alias.agentAliasId)).agentVersion, '1');
    assert.equal(reloaded.getAgent(first.agentId).agentStatus, 'PREPARED');
    assert.throws(() => reloaded.tagsOf('arn:aws:bedrock:eu-west-1:123456789012:agent/NOSUCHAGNT'), { name: 'ResourceNotFoundException' });
  });
});
