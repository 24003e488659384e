import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActionGroupRecord, AgentAliasRecord, AgentRecord, AgentVersionRecord, StoredAgent } from '../../core/agents/registry/agent-records.js';
import type { AgentStore } from './agent-store.js';
import { type ReopenableStore, type StoreBackend, storeBackendHooks } from '../../../test/support/store-backend-hooks.js';

/** A store on a fresh, empty database, and a way to open the same database again. */
export type OpenedAgentStore = ReopenableStore<AgentStore>;

export type AgentStoreBackend = StoreBackend<OpenedAgentStore>;

let sequence = 0;
const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, seconds, 125));

function agent(): AgentRecord {
  sequence++;
  const agentId = `AGENT${String(sequence).padStart(5, '0')}`;
  return {
    agentId,
    agentArn: `arn:aws:bedrock:us-east-1:000000000000:agent/${agentId}`,
    agentName: `agent-${sequence}`,
    instruction: 'You answer questions about rocks, briefly and with care.',
    foundationModel: 'outcrop.text',
    orchestrationType: 'DEFAULT',
    idleSessionTTLInSeconds: 600,
    agentCollaboration: 'DISABLED',
    memoryConfiguration: { enabledMemoryTypes: ['SESSION_SUMMARY'], storageDays: 30 },
    agentStatus: 'NOT_PREPARED',
    createdAt: at(sequence),
    updatedAt: at(sequence),
    lastVersion: 0,
    tags: { team: 'geology' },
  };
}

function actionGroup(agentId: string, id: string, seconds: number): ActionGroupRecord {
  return {
    agentId,
    agentVersion: 'DRAFT',
    actionGroupId: id,
    actionGroupName: `group-${id}`,
    actionGroupExecutor: { customControl: 'RETURN_CONTROL' },
    // user content that looks like a date must stay a string
    functionSchema: { functions: [{ name: 'lookup', description: '2025-01-01T00:00:00.000Z', parameters: { createdAt: { type: 'string', description: '2025-01-01T00:00:00.000Z' } } }] },
    actionGroupState: 'ENABLED',
    createdAt: at(seconds),
    updatedAt: at(seconds),
  };
}

function alias(agentId: string, aliasId: string, seconds: number): AgentAliasRecord {
  return {
    agentId,
    agentAliasId: aliasId,
    agentAliasName: `alias-${aliasId}`,
    agentAliasArn: `arn:aws:bedrock:us-east-1:000000000000:agent-alias/${agentId}/${aliasId}`,
    routingConfiguration: [{ agentVersion: 'DRAFT' }],
    history: [
      { routingConfiguration: [{ agentVersion: '2' }], startDate: at(seconds + 1) },
      { routingConfiguration: [{ agentVersion: '1' }], startDate: at(seconds), endDate: at(seconds + 1) },
    ],
    aliasInvocationState: 'ACCEPT_INVOCATIONS',
    tags: {},
    createdAt: at(seconds),
    updatedAt: at(seconds),
  };
}

function version(record: AgentRecord, number: number, groups: ActionGroupRecord[]): AgentVersionRecord {
  const { agentName, instruction, foundationModel, orchestrationType, idleSessionTTLInSeconds, agentCollaboration } = record;
  return {
    agentId: record.agentId,
    version: String(number),
    settings: { agentName, instruction, foundationModel, orchestrationType, idleSessionTTLInSeconds, agentCollaboration } as AgentVersionRecord['settings'],
    actionGroups: groups.map((group) => ({ ...group, agentVersion: String(number) })),
    knowledgeBases: [{ agentId: record.agentId, agentVersion: String(number), knowledgeBaseId: 'KB00000001', description: 'rocks', knowledgeBaseState: 'ENABLED', createdAt: at(3), updatedAt: at(4) }],
    collaborators: [],
    definition: { agentId: record.agentId, agentName, agentVersion: String(number), foundationModel: 'outcrop.text', instruction: instruction ?? '', idleSessionTTLInSeconds, actionGroups: [], knowledgeBases: [], orchestrationType, agentCollaboration, collaborators: [] },
    createdAt: at(10 + number),
    updatedAt: at(10 + number),
  };
}

/** The behaviour every `AgentStore` backend must show; each backend's test file runs it. */
export function runAgentStoreConformance(backend: AgentStoreBackend): void {
  describe(`AgentStore conformance: ${backend.name}`, () => {
    const stores = storeBackendHooks(backend);
    const open = async () => (await stores.open()).store;

    it('starts empty and round-trips an agent with everything under it across a reopen', async () => {
      const store = await open();
      assert.deepEqual(await store.list(), []);
      const record = agent();
      const groups = [actionGroup(record.agentId, 'GROUP00001', 1), actionGroup(record.agentId, 'GROUP00002', 2)];
      const prepared: AgentRecord = { ...record, agentStatus: 'PREPARED', preparedAt: at(30), lastVersion: 1, prepared: version(record, 1, groups).definition };
      await store.apply([
        { put: 'agent', record },
        ...groups.map((group) => ({ put: 'actionGroup' as const, record: group })),
        { put: 'knowledgeBase', record: { agentId: record.agentId, agentVersion: 'DRAFT', knowledgeBaseId: 'KB00000001', description: 'rocks', knowledgeBaseState: 'ENABLED', createdAt: at(3), updatedAt: at(3) } },
        { put: 'collaborator', record: { agentId: record.agentId, agentVersion: 'DRAFT', collaboratorId: 'COLLAB0001', collaboratorName: 'helper', collaborationInstruction: 'help', agentDescriptor: { aliasArn: 'arn:aws:bedrock:us-east-1:000000000000:agent-alias/OTHERAGENT/ALIAS00001' }, relayConversationHistory: 'DISABLED', createdAt: at(4), lastUpdatedAt: at(5) } },
        { put: 'alias', record: alias(record.agentId, 'ZZZZZZZZZZ', 6) },
        { put: 'alias', record: alias(record.agentId, 'TSTALIASID', 6) },
        { put: 'version', record: version(record, 1, groups) },
        { put: 'agent', record: prepared },
      ]);
      const [listed] = await store.list();
      const expected: StoredAgent = {
        agent: prepared,
        actionGroups: groups,
        knowledgeBases: [{ agentId: record.agentId, agentVersion: 'DRAFT', knowledgeBaseId: 'KB00000001', description: 'rocks', knowledgeBaseState: 'ENABLED', createdAt: at(3), updatedAt: at(3) }],
        collaborators: [{ agentId: record.agentId, agentVersion: 'DRAFT', collaboratorId: 'COLLAB0001', collaboratorName: 'helper', collaborationInstruction: 'help', agentDescriptor: { aliasArn: 'arn:aws:bedrock:us-east-1:000000000000:agent-alias/OTHERAGENT/ALIAS00001' }, relayConversationHistory: 'DISABLED', createdAt: at(4), lastUpdatedAt: at(5) }],
        versions: [version(record, 1, groups)],
        aliases: [alias(record.agentId, 'TSTALIASID', 6), alias(record.agentId, 'ZZZZZZZZZZ', 6)],
      };
      assert.deepEqual(listed, expected);
      assert.deepEqual(await (await stores.opened().reopen()).list(), [expected]);
    });

    it('replaces and deletes records one by one, and deletes an agent with everything it has', async () => {
      const store = await open();
      const kept = agent();
      const removed = agent();
      const group = actionGroup(kept.agentId, 'GROUP00003', 1);
      await store.apply([
        { put: 'agent', record: kept },
        { put: 'agent', record: removed },
        { put: 'actionGroup', record: group },
        { put: 'actionGroup', record: actionGroup(removed.agentId, 'GROUP00003', 1) },
        { put: 'version', record: version(kept, 1, []) },
        { put: 'version', record: version(kept, 2, []) },
        { put: 'alias', record: alias(kept.agentId, 'ALIAS00001', 2) },
        { put: 'alias', record: alias(removed.agentId, 'ALIAS00001', 2) },
      ]);
      await store.apply([
        { put: 'actionGroup', record: { ...group, actionGroupState: 'DISABLED', updatedAt: at(50) } },
        { delete: 'version', agentId: kept.agentId, id: '1' },
        { delete: 'alias', agentId: kept.agentId, id: 'ALIAS00001' },
        { delete: 'agent', agentId: removed.agentId },
      ]);
      const listed = await store.list();
      assert.deepEqual(listed.map((item) => item.agent.agentId), [kept.agentId]);
      assert.equal(listed[0]?.actionGroups[0]?.actionGroupState, 'DISABLED');
      assert.deepEqual(listed[0]?.versions.map((item) => item.version), ['2']);
      assert.deepEqual(listed[0]?.aliases, []);
      await store.apply([{ delete: 'actionGroup', agentId: kept.agentId, id: 'GROUP00003' }]);
      assert.deepEqual((await store.list())[0]?.actionGroups, []);
    });

    it('applies a batch whole or not at all', async () => {
      const store = await open();
      const record = agent();
      await store.apply([{ put: 'agent', record }]);
      await assert.rejects(
        store.apply([
          { put: 'actionGroup', record: actionGroup(record.agentId, 'GROUP00009', 1) },
          { put: 'version', record: version(record, 1, []) },
          // a row that cannot be written fails the batch after the others were sent
          { put: 'alias', record: { ...alias(record.agentId, 'ALIAS00009', 1), createdAt: new Date(Number.NaN) } },
        ]),
      );
      const [listed] = await store.list();
      assert.deepEqual(listed?.actionGroups, []);
      assert.deepEqual(listed?.versions, []);
    });
  });
}
