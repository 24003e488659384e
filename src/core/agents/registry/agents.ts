import { OutcropError } from '../../errors.js';
import type { AgentDefinition } from '../agent-definition.js';
import { agentAliasArn, agentArn, newAgentResourceId, parseAgentArn, testAliasId } from './agent-identifiers.js';
import type {
  ActionGroupRecord,
  AgentAliasRecord,
  AgentCollaboratorRecord,
  AgentKnowledgeBaseRecord,
  AgentRecord,
  AgentRepository,
  AgentSettings,
  AgentVersionRecord,
  AgentWrite,
  AliasRoute,
  StoredAgent,
} from './agent-records.js';
import { type SchemaObjectReader, buildAgentDefinition, resolveApiSchema } from './build-agent-definition.js';
import { paginate } from './paginate.js';
import { type ActionGroupFields, validateActionGroup } from './validate-action-group.js';
import { type AgentReferenceCheckers, validateAgentSettings } from './validate-agent-settings.js';

export interface AgentsOptions extends AgentReferenceCheckers {
  repository: AgentRepository;
  region: string;
  accountId: string;
  /** throws `ResourceNotFoundException` for an unknown knowledge base; absent where knowledge bases are off */
  knowledgeBases?: { get(knowledgeBaseId: string): Promise<unknown> } | undefined;
  /** reads an OpenAPI schema stored in S3 (`apiSchema.s3`) */
  readSchemaObject?: SchemaObjectReader | undefined;
  /** whether the executor configured for a Lambda ARN lists its own functions (an MCP server), so its group may have no schema */
  listsFunctions?: ((lambdaArn: string) => boolean) | undefined;
  now?: () => Date;
  newId?: () => string;
}

/** The settings CreateAgent takes; omitted ones get Bedrock's defaults. */
export type AgentSettingsInput = Omit<AgentSettings, 'orchestrationType' | 'idleSessionTTLInSeconds' | 'agentCollaboration'> &
  Partial<Pick<AgentSettings, 'orchestrationType' | 'idleSessionTTLInSeconds' | 'agentCollaboration'>>;

type Page = { maxResults?: number | undefined; nextToken?: string | undefined };
type ResourceKind = 'actionGroup' | 'knowledgeBase' | 'collaborator';

/** Default idle session timeout, as Bedrock sets it. */
export const defaultIdleSessionTTLInSeconds = 600;

/**
 * Bedrock agents at build time: agents and their working DRAFT (action groups, knowledge bases,
 * collaborators), PrepareAgent (which checks everything and snapshots an `AgentDefinition` into
 * DRAFT), numbered versions made by aliases, and aliases routing to versions (`TSTALIASID` routes
 * to DRAFT). Agents live in memory, loaded from the repository at start and written through, each
 * change as one atomic batch; writes run one at a time.
 *
 * @example
 * const agents = new Agents({ repository: store, models: catalog, region: 'us-east-1', accountId: '000000000000' });
 * await agents.load();
 * const agent = await agents.createAgent({ agentName: 'support', foundationModel: 'outcrop.text', instruction: 'You answer questions about orders, politely and briefly.' });
 * await agents.prepare(agent.agentId);
 * const definition = await agents.resolveAlias(agent.agentId, 'TSTALIASID');
 */
export class Agents {
  private readonly byId = new Map<string, StoredAgent>();
  private readonly tokens = new Map<string, unknown>();
  private readonly now: () => Date;
  private readonly newId: () => string;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AgentsOptions) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? newAgentResourceId;
  }

  async load(): Promise<void> {
    this.byId.clear();
    for (const stored of await this.options.repository.list()) this.byId.set(stored.agent.agentId, stored);
  }

  // ---- agents ----

  /** CreateAgent: the agent, its DRAFT and its test alias `TSTALIASID`. */
  async createAgent(input: AgentSettingsInput & { clientToken?: string; tags?: Record<string, string> }): Promise<AgentRecord> {
    return this.exclusive(async () => {
      const earlier = this.earlier<string>('agent', input.clientToken);
      if (earlier && this.byId.has(earlier)) return this.stored(earlier).agent;
      const { clientToken, tags, ...rest } = input;
      const settings = withDefaults(rest);
      validateAgentSettings(settings, this.options);
      this.assertAgentNameFree(settings.agentName);
      const agentId = this.uniqueId((id) => this.byId.has(id));
      const at = this.now();
      const agent: AgentRecord = {
        ...settings,
        agentId,
        agentArn: agentArn(this.options.region, this.options.accountId, agentId),
        agentStatus: 'NOT_PREPARED',
        ...(clientToken === undefined ? {} : { clientToken }),
        createdAt: at,
        updatedAt: at,
        lastVersion: 0,
        tags: { ...tags },
      };
      const testAlias: AgentAliasRecord = {
        agentId,
        agentAliasId: testAliasId,
        agentAliasName: 'AgentTestAlias',
        agentAliasArn: agentAliasArn(this.options.region, this.options.accountId, agentId, testAliasId),
        description: 'Test Alias for Agent',
        routingConfiguration: [{ agentVersion: 'DRAFT' }],
        history: [{ routingConfiguration: [{ agentVersion: 'DRAFT' }], startDate: at }],
        aliasInvocationState: 'ACCEPT_INVOCATIONS',
        tags: {},
        createdAt: at,
        updatedAt: at,
      };
      const stored: StoredAgent = { agent, actionGroups: [], knowledgeBases: [], collaborators: [], versions: [], aliases: [testAlias] };
      await this.options.repository.apply([
        { put: 'agent', record: agent },
        { put: 'alias', record: testAlias },
      ]);
      this.byId.set(agentId, stored);
      this.remember('agent', clientToken, agentId);
      return agent;
    });
  }

  /** GetAgent */
  getAgent(agentId: string): AgentRecord {
    return this.stored(agentId).agent;
  }

  /** ListAgents: every agent in creation order, with its latest version. */
  listAgents(page: Page = {}): { items: Array<AgentRecord & { latestAgentVersion: string }>; nextToken?: string } {
    const all = [...this.byId.values()].map((stored) => ({ ...stored.agent, latestAgentVersion: latestVersion(stored) }));
    return paginate(all, page);
  }

  /** UpdateAgent: replaces the DRAFT's settings; the agent needs preparing again. */
  async updateAgent(agentId: string, input: AgentSettingsInput): Promise<AgentRecord> {
    return this.exclusive(async () => {
      const stored = this.stored(agentId);
      const settings = withDefaults(input);
      validateAgentSettings(settings, this.options);
      this.assertAgentNameFree(settings.agentName, agentId);
      if (settings.agentCollaboration === 'DISABLED' && stored.collaborators.length > 0) {
        throw new OutcropError('ValidationException', `The agent ${agentId} has ${stored.collaborators.length} collaborator(s); disassociate them before setting agentCollaboration to DISABLED.`);
      }
      const kept = { agentId, agentArn: stored.agent.agentArn, createdAt: stored.agent.createdAt, lastVersion: stored.agent.lastVersion, tags: stored.agent.tags };
      const agent: AgentRecord = {
        ...settings,
        ...kept,
        agentStatus: 'NOT_PREPARED',
        ...(stored.agent.clientToken === undefined ? {} : { clientToken: stored.agent.clientToken }),
        updatedAt: this.now(),
        ...(stored.agent.preparedAt === undefined ? {} : { preparedAt: stored.agent.preparedAt }),
        ...(stored.agent.prepared === undefined ? {} : { prepared: stored.agent.prepared }),
      };
      await this.commit({ ...stored, agent }, [{ put: 'agent', record: agent }]);
      return agent;
    });
  }

  /** DeleteAgent: the agent with everything it has. Refused while another agent uses one of its aliases as a collaborator, unless told to skip the check. */
  async deleteAgent(agentId: string, options: { skipResourceInUseCheck?: boolean } = {}): Promise<AgentRecord> {
    return this.exclusive(async () => {
      const stored = this.stored(agentId);
      if (!options.skipResourceInUseCheck) {
        const user = this.collaboratorUsing((aliasArn) => parseAgentArn(aliasArn)?.agentId === agentId, agentId);
        if (user) throw new OutcropError('ConflictException', `The agent ${agentId} is a collaborator of agent ${user}; disassociate it there first, or set skipResourceInUseCheck.`);
      }
      await this.options.repository.apply([{ delete: 'agent', agentId }]);
      this.byId.delete(agentId);
      return { ...stored.agent, agentStatus: 'DELETING' };
    });
  }

  /**
   * PrepareAgent: checks the whole DRAFT (model, guardrail, schemas, knowledge bases,
   * collaborators) and snapshots it as the definition `TSTALIASID` runs. A problem is a
   * `ValidationException` naming it, and the agent is left as it was.
   */
  async prepare(agentId: string): Promise<AgentRecord> {
    return this.exclusive(async () => {
      const stored = this.stored(agentId);
      validateAgentSettings(stored.agent, this.options);
      const definition = await buildAgentDefinition(stored, {
        readSchemaObject: this.options.readSchemaObject,
        knowledgeBases: this.options.knowledgeBases,
        resolveCollaborator: async (aliasArn) => this.resolveAliasArn(aliasArn, agentId),
      });
      const at = this.now();
      const { failureReasons: _dropped, ...current } = stored.agent;
      const agent: AgentRecord = { ...current, agentStatus: 'PREPARED', preparedAt: at, updatedAt: at, prepared: definition };
      await this.commit({ ...stored, agent }, [{ put: 'agent', record: agent }]);
      return agent;
    });
  }

  // ---- action groups ----

  /** CreateAgentActionGroup: a new action group on the DRAFT; an OpenAPI schema is checked now. */
  async createActionGroup(agentId: string, fields: ActionGroupFields & { clientToken?: string }): Promise<ActionGroupRecord> {
    return this.exclusive(async () => {
      const stored = this.stored(agentId);
      const found = this.retried(`actionGroup:${agentId}`, fields.clientToken, stored.actionGroups, (group) => group.actionGroupId);
      if (found) return found;
      const { clientToken, ...rest } = fields;
      await this.checkActionGroup(rest, stored.actionGroups);
      const at = this.now();
      const record: ActionGroupRecord = {
        ...rest,
        agentId,
        agentVersion: 'DRAFT',
        actionGroupId: this.uniqueId((id) => stored.actionGroups.some((group) => group.actionGroupId === id)),
        ...(clientToken === undefined ? {} : { clientToken }),
        createdAt: at,
        updatedAt: at,
      };
      await this.commitDraftChange(stored, 'actionGroup', record);
      this.remember(`actionGroup:${agentId}`, clientToken, record.actionGroupId);
      return record;
    });
  }

  /** GetAgentActionGroup, of the DRAFT or a numbered version. */
  getActionGroup(agentId: string, agentVersion: string, actionGroupId: string): ActionGroupRecord {
    const found = this.resourcesOf(agentId, agentVersion).actionGroups.find((group) => group.actionGroupId === actionGroupId);
    if (!found) throw notFound(`The action group ${actionGroupId} of agent ${agentId} version ${agentVersion} was not found.`);
    return found;
  }

  /** ListAgentActionGroups */
  listActionGroups(agentId: string, agentVersion: string, page: Page = {}): { items: ActionGroupRecord[]; nextToken?: string } {
    return paginate(this.resourcesOf(agentId, agentVersion).actionGroups, page);
  }

  /** UpdateAgentActionGroup: replaces one action group of the DRAFT. */
  async updateActionGroup(agentId: string, actionGroupId: string, fields: ActionGroupFields): Promise<ActionGroupRecord> {
    return this.exclusive(async () => {
      const stored = this.stored(agentId);
      const current = this.getActionGroup(agentId, 'DRAFT', actionGroupId);
      await this.checkActionGroup(
        fields,
        stored.actionGroups.filter((group) => group.actionGroupId !== actionGroupId),
      );
      const record: ActionGroupRecord = {
        ...fields,
        agentId,
        agentVersion: 'DRAFT',
        actionGroupId,
        ...(current.clientToken === undefined ? {} : { clientToken: current.clientToken }),
        createdAt: current.createdAt,
        updatedAt: this.now(),
      };
      await this.commitDraftChange(stored, 'actionGroup', record);
      return record;
    });
  }

  /** DeleteAgentActionGroup: an ENABLED group is in use, so it is refused unless disabled first or told to skip the check. */
  async deleteActionGroup(agentId: string, actionGroupId: string, options: { skipResourceInUseCheck?: boolean } = {}): Promise<void> {
    await this.removeFromDraft(agentId, 'actionGroup', actionGroupId, () => {
      const current = this.getActionGroup(agentId, 'DRAFT', actionGroupId);
      if (current.actionGroupState === 'ENABLED' && !options.skipResourceInUseCheck) {
        throw new OutcropError('ConflictException', `The action group ${current.actionGroupName} is ENABLED and in use; disable it (actionGroupState DISABLED) first, or set skipResourceInUseCheck.`);
      }
    });
  }

  // ---- knowledge bases ----

  /** AssociateAgentKnowledgeBase */
  async associateKnowledgeBase(agentId: string, input: { knowledgeBaseId: string; description: string; knowledgeBaseState?: 'ENABLED' | 'DISABLED' }): Promise<AgentKnowledgeBaseRecord> {
    return this.exclusive(async () => {
      const stored = this.stored(agentId);
      if (stored.knowledgeBases.some((item) => item.knowledgeBaseId === input.knowledgeBaseId)) {
        throw new OutcropError('ConflictException', `The knowledge base ${input.knowledgeBaseId} is already associated with agent ${agentId}.`);
      }
      await this.options.knowledgeBases?.get(input.knowledgeBaseId);
      const at = this.now();
      const record: AgentKnowledgeBaseRecord = {
        agentId,
        agentVersion: 'DRAFT',
        knowledgeBaseId: input.knowledgeBaseId,
        description: input.description,
        knowledgeBaseState: input.knowledgeBaseState ?? 'ENABLED',
        createdAt: at,
        updatedAt: at,
      };
      await this.commitDraftChange(stored, 'knowledgeBase', record);
      return record;
    });
  }

  /** GetAgentKnowledgeBase */
  getKnowledgeBase(agentId: string, agentVersion: string, knowledgeBaseId: string): AgentKnowledgeBaseRecord {
    const found = this.resourcesOf(agentId, agentVersion).knowledgeBases.find((item) => item.knowledgeBaseId === knowledgeBaseId);
    if (!found) throw notFound(`The knowledge base ${knowledgeBaseId} is not associated with agent ${agentId} version ${agentVersion}.`);
    return found;
  }

  /** ListAgentKnowledgeBases */
  listKnowledgeBases(agentId: string, agentVersion: string, page: Page = {}): { items: AgentKnowledgeBaseRecord[]; nextToken?: string } {
    return paginate(this.resourcesOf(agentId, agentVersion).knowledgeBases, page);
  }

  /** UpdateAgentKnowledgeBase: the description and state; omitted ones are kept. */
  async updateKnowledgeBase(agentId: string, knowledgeBaseId: string, input: { description?: string; knowledgeBaseState?: 'ENABLED' | 'DISABLED' }): Promise<AgentKnowledgeBaseRecord> {
    return this.exclusive(async () => {
      const stored = this.stored(agentId);
      const current = this.getKnowledgeBase(agentId, 'DRAFT', knowledgeBaseId);
      const record: AgentKnowledgeBaseRecord = {
        ...current,
        description: input.description ?? current.description,
        knowledgeBaseState: input.knowledgeBaseState ?? current.knowledgeBaseState,
        updatedAt: this.now(),
      };
      await this.commitDraftChange(stored, 'knowledgeBase', record);
      return record;
    });
  }

  /** DisassociateAgentKnowledgeBase */
  async disassociateKnowledgeBase(agentId: string, knowledgeBaseId: string): Promise<void> {
    await this.removeFromDraft(agentId, 'knowledgeBase', knowledgeBaseId, () => this.getKnowledgeBase(agentId, 'DRAFT', knowledgeBaseId));
  }

  // ---- collaborators ----

  /** AssociateAgentCollaborator: another agent's alias, on a supervisor's DRAFT. */
  async associateCollaborator(agentId: string, input: CollaboratorInput & { clientToken?: string }): Promise<AgentCollaboratorRecord> {
    return this.exclusive(async () => {
      const stored = this.stored(agentId);
      const found = this.retried(`collaborator:${agentId}`, input.clientToken, stored.collaborators, (item) => item.collaboratorId);
      if (found) return found;
      this.checkCollaborator(stored, input);
      const at = this.now();
      const record: AgentCollaboratorRecord = {
        agentId,
        agentVersion: 'DRAFT',
        collaboratorId: this.uniqueId((id) => stored.collaborators.some((item) => item.collaboratorId === id)),
        collaboratorName: input.collaboratorName,
        collaborationInstruction: input.collaborationInstruction,
        agentDescriptor: { aliasArn: input.agentDescriptor.aliasArn },
        relayConversationHistory: input.relayConversationHistory ?? 'DISABLED',
        ...(input.clientToken === undefined ? {} : { clientToken: input.clientToken }),
        createdAt: at,
        lastUpdatedAt: at,
      };
      await this.commitDraftChange(stored, 'collaborator', record);
      this.remember(`collaborator:${agentId}`, input.clientToken, record.collaboratorId);
      return record;
    });
  }

  /** GetAgentCollaborator */
  getCollaborator(agentId: string, agentVersion: string, collaboratorId: string): AgentCollaboratorRecord {
    const found = this.resourcesOf(agentId, agentVersion).collaborators.find((item) => item.collaboratorId === collaboratorId);
    if (!found) throw notFound(`The collaborator ${collaboratorId} of agent ${agentId} version ${agentVersion} was not found.`);
    return found;
  }

  /** ListAgentCollaborators */
  listCollaborators(agentId: string, agentVersion: string, page: Page = {}): { items: AgentCollaboratorRecord[]; nextToken?: string } {
    return paginate(this.resourcesOf(agentId, agentVersion).collaborators, page);
  }

  /** UpdateAgentCollaborator */
  async updateCollaborator(agentId: string, collaboratorId: string, input: CollaboratorInput): Promise<AgentCollaboratorRecord> {
    return this.exclusive(async () => {
      const stored = this.stored(agentId);
      const current = this.getCollaborator(agentId, 'DRAFT', collaboratorId);
      this.checkCollaborator(stored, input, collaboratorId);
      const record: AgentCollaboratorRecord = {
        ...current,
        collaboratorName: input.collaboratorName,
        collaborationInstruction: input.collaborationInstruction,
        agentDescriptor: { aliasArn: input.agentDescriptor.aliasArn },
        relayConversationHistory: input.relayConversationHistory ?? current.relayConversationHistory,
        lastUpdatedAt: this.now(),
      };
      await this.commitDraftChange(stored, 'collaborator', record);
      return record;
    });
  }

  /** DisassociateAgentCollaborator */
  async disassociateCollaborator(agentId: string, collaboratorId: string): Promise<void> {
    await this.removeFromDraft(agentId, 'collaborator', collaboratorId, () => this.getCollaborator(agentId, 'DRAFT', collaboratorId));
  }

  // ---- versions ----

  /** ListAgentVersions: DRAFT, then the numbered versions in order. */
  listVersions(agentId: string, page: Page = {}): { items: Array<{ agentVersion: string; settings: AgentSettings; agentStatus: AgentRecord['agentStatus']; createdAt: Date; updatedAt: Date }>; nextToken?: string } {
    const stored = this.stored(agentId);
    const draft = { agentVersion: 'DRAFT', settings: stored.agent, agentStatus: stored.agent.agentStatus, createdAt: stored.agent.createdAt, updatedAt: stored.agent.updatedAt };
    const numbered = stored.versions.map((version) => ({ agentVersion: version.version, settings: version.settings, agentStatus: 'PREPARED' as const, createdAt: version.createdAt, updatedAt: version.updatedAt }));
    return paginate([draft, ...numbered], page);
  }

  /** GetAgentVersion: one numbered version. */
  getVersion(agentId: string, version: string): AgentVersionRecord & { agentArn: string } {
    const stored = this.stored(agentId);
    const found = stored.versions.find((item) => item.version === version);
    if (!found) throw notFound(`Version ${version} of agent ${agentId} was not found.`);
    return { ...found, agentArn: stored.agent.agentArn };
  }

  /** DeleteAgentVersion: refused while an alias routes to it, unless told to skip the check. */
  async deleteVersion(agentId: string, version: string, options: { skipResourceInUseCheck?: boolean } = {}): Promise<void> {
    await this.exclusive(async () => {
      const stored = this.stored(agentId);
      this.getVersion(agentId, version);
      const user = stored.aliases.find((alias) => alias.routingConfiguration.some((route) => route.agentVersion === version));
      if (user && !options.skipResourceInUseCheck) {
        throw new OutcropError('ConflictException', `Version ${version} of agent ${agentId} is in use by alias ${user.agentAliasId}; point the alias elsewhere first, or set skipResourceInUseCheck.`);
      }
      await this.commit({ ...stored, versions: stored.versions.filter((item) => item.version !== version) }, [{ delete: 'version', agentId, id: version }]);
    });
  }

  // ---- aliases ----

  /** CreateAgentAlias: routes to the given version, or snapshots the prepared DRAFT into a new numbered version and routes there. */
  async createAlias(agentId: string, input: AliasInput & { clientToken?: string; tags?: Record<string, string> }): Promise<AgentAliasRecord> {
    return this.exclusive(async () => {
      let stored = this.stored(agentId);
      const found = this.retried(`alias:${agentId}`, input.clientToken, stored.aliases, (alias) => alias.agentAliasId);
      if (found) return found;
      this.assertAliasNameFree(stored, input.agentAliasName);
      const routed = this.routeAlias(stored, input.routingConfiguration);
      stored = routed.stored;
      const { writes, routing } = routed;
      const at = this.now();
      const agentAliasId = this.uniqueId((id) => id === testAliasId || stored.aliases.some((alias) => alias.agentAliasId === id));
      const record: AgentAliasRecord = {
        agentId,
        agentAliasId,
        agentAliasName: input.agentAliasName,
        agentAliasArn: agentAliasArn(this.options.region, this.options.accountId, agentId, agentAliasId),
        ...(input.description === undefined ? {} : { description: input.description }),
        routingConfiguration: routing,
        history: [{ routingConfiguration: routing, startDate: at }],
        aliasInvocationState: 'ACCEPT_INVOCATIONS',
        ...(input.clientToken === undefined ? {} : { clientToken: input.clientToken }),
        tags: { ...input.tags },
        createdAt: at,
        updatedAt: at,
      };
      writes.push({ put: 'alias', record });
      await this.commit({ ...stored, aliases: [...stored.aliases, record] }, writes);
      this.remember(`alias:${agentId}`, input.clientToken, agentAliasId);
      return record;
    });
  }

  /** GetAgentAlias */
  getAlias(agentId: string, aliasId: string): AgentAliasRecord {
    const found = this.stored(agentId).aliases.find((alias) => alias.agentAliasId === aliasId);
    if (!found) throw notFound(`The alias ${aliasId} of agent ${agentId} was not found.`);
    return found;
  }

  /** ListAgentAliases: `TSTALIASID` first, then the others in creation order. */
  listAliases(agentId: string, page: Page = {}): { items: AgentAliasRecord[]; nextToken?: string } {
    return paginate(this.stored(agentId).aliases, page);
  }

  /** UpdateAgentAlias: like CreateAgentAlias for the routing; a routing change is recorded in the alias's history. */
  async updateAlias(agentId: string, aliasId: string, input: AliasInput & { aliasInvocationState?: 'ACCEPT_INVOCATIONS' | 'REJECT_INVOCATIONS' }): Promise<AgentAliasRecord> {
    return this.exclusive(async () => {
      let stored = this.stored(agentId);
      const current = this.getAlias(agentId, aliasId);
      if (aliasId === testAliasId) throw new OutcropError('ValidationException', `The test alias ${testAliasId} always routes to DRAFT and cannot be updated.`);
      this.assertAliasNameFree(stored, input.agentAliasName, aliasId);
      const routed = this.routeAlias(stored, input.routingConfiguration);
      stored = routed.stored;
      const { writes, routing } = routed;
      const at = this.now();
      const changed = JSON.stringify(routing) !== JSON.stringify(current.routingConfiguration);
      const [head, ...older] = current.history;
      const history = changed ? [{ routingConfiguration: routing, startDate: at }, ...(head ? [{ ...head, endDate: at }] : []), ...older] : current.history;
      const { description: _old, ...base } = current;
      const record: AgentAliasRecord = {
        ...base,
        agentAliasName: input.agentAliasName,
        ...(input.description === undefined ? {} : { description: input.description }),
        routingConfiguration: routing,
        history,
        aliasInvocationState: input.aliasInvocationState ?? current.aliasInvocationState,
        updatedAt: at,
      };
      writes.push({ put: 'alias', record });
      await this.commit({ ...stored, aliases: stored.aliases.map((alias) => (alias.agentAliasId === aliasId ? record : alias)) }, writes);
      return record;
    });
  }

  /** DeleteAgentAlias: refused for `TSTALIASID`, and while a supervisor uses the alias, unless told to skip the check. */
  async deleteAlias(agentId: string, aliasId: string, options: { skipResourceInUseCheck?: boolean } = {}): Promise<AgentAliasRecord> {
    return this.exclusive(async () => {
      const stored = this.stored(agentId);
      const current = this.getAlias(agentId, aliasId);
      if (aliasId === testAliasId) throw new OutcropError('ValidationException', `The test alias ${testAliasId} cannot be deleted; it is removed with the agent.`);
      if (!options.skipResourceInUseCheck) {
        const user = this.collaboratorUsing((aliasArn) => aliasArn === current.agentAliasArn);
        if (user) throw new OutcropError('ConflictException', `The alias ${aliasId} is a collaborator of agent ${user}; disassociate it there first.`);
      }
      await this.commit({ ...stored, aliases: stored.aliases.filter((alias) => alias.agentAliasId !== aliasId) }, [{ delete: 'alias', agentId, id: aliasId }]);
      return current;
    });
  }

  // ---- runtime ----

  /**
   * The prepared definition an alias runs: `TSTALIASID` runs the DRAFT as last prepared, other
   * aliases the version they route to. `ResourceNotFoundException` for an unknown agent or alias,
   * or a DRAFT never prepared; `ValidationException` for an alias that rejects invocations.
   *
   * @example
   * const definition = await agents.resolveAlias('ABCDEFGHIJ', 'TSTALIASID');
   */
  async resolveAlias(agentId: string, aliasId: string): Promise<AgentDefinition> {
    const stored = this.byId.get(agentId);
    if (!stored) throw notFound(`Failed to retrieve resource because it doesn't exist: the agent ${agentId} was not found.`);
    const alias = stored.aliases.find((item) => item.agentAliasId === aliasId);
    if (!alias) throw notFound(`Failed to retrieve resource because it doesn't exist: the alias ${aliasId} of agent ${agentId} was not found.`);
    if (alias.aliasInvocationState === 'REJECT_INVOCATIONS') throw new OutcropError('ValidationException', `The alias ${aliasId} of agent ${agentId} is not accepting invocations (aliasInvocationState REJECT_INVOCATIONS).`);
    const version = alias.routingConfiguration[0]?.agentVersion;
    if (version === 'DRAFT' || version === undefined) {
      if (!stored.agent.prepared) throw notFound(`Failed to retrieve resource because it doesn't exist: the DRAFT version of agent ${agentId} has never been prepared; call PrepareAgent first.`);
      return stored.agent.prepared;
    }
    const found = stored.versions.find((item) => item.version === version);
    if (!found) throw notFound(`Failed to retrieve resource because it doesn't exist: version ${version} of agent ${agentId}, which alias ${aliasId} routes to, was not found.`);
    return found.definition;
  }

  /** `resolveAlias` by an agent-alias ARN (collaborators name their alias this way). */
  async resolveAliasArn(aliasArn: string, callerAgentId?: string): Promise<AgentDefinition> {
    const parsed = parseAgentArn(aliasArn);
    if (!parsed?.aliasId) throw new OutcropError('ValidationException', `${aliasArn} is not an agent alias ARN.`);
    if (parsed.agentId === callerAgentId) throw new OutcropError('ValidationException', `an agent cannot be its own collaborator (${aliasArn}).`);
    return this.resolveAlias(parsed.agentId, parsed.aliasId);
  }

  // ---- tags ----

  /** The tags of an agent or agent alias, by ARN. */
  tagsOf(arn: string): Record<string, string> {
    const { alias, stored } = this.taggable(arn);
    return alias ? alias.tags : stored.agent.tags;
  }

  async tag(arn: string, tags: Record<string, string>): Promise<void> {
    await this.exclusive(() => this.replaceTags(arn, (current) => ({ ...current, ...tags })));
  }

  async untag(arn: string, keys: string[]): Promise<void> {
    await this.exclusive(() => this.replaceTags(arn, (current) => Object.fromEntries(Object.entries(current).filter(([key]) => !keys.includes(key)))));
  }

  // ---- internals ----

  private async replaceTags(arn: string, change: (current: Record<string, string>) => Record<string, string>): Promise<void> {
    const { alias, stored } = this.taggable(arn);
    const tags = change(alias ? alias.tags : stored.agent.tags);
    if (Object.keys(tags).length > 50) throw new OutcropError('TooManyTagsException', `The resource ${arn} would have more than 50 tags.`);
    if (alias) {
      const record = { ...alias, tags };
      await this.commit({ ...stored, aliases: stored.aliases.map((item) => (item.agentAliasId === alias.agentAliasId ? record : item)) }, [{ put: 'alias', record }]);
    } else {
      const agent = { ...stored.agent, tags };
      await this.commit({ ...stored, agent }, [{ put: 'agent', record: agent }]);
    }
  }

  private taggable(arn: string): { stored: StoredAgent; alias?: AgentAliasRecord } {
    const parsed = parseAgentArn(arn);
    const stored = parsed ? this.byId.get(parsed.agentId) : undefined;
    if (!parsed || !stored) throw notFound(`The resource ${arn} was not found.`);
    if (parsed.aliasId === undefined) return { stored };
    const alias = stored.aliases.find((item) => item.agentAliasId === parsed.aliasId);
    if (!alias) throw notFound(`The resource ${arn} was not found.`);
    return { stored, alias };
  }

  private async checkActionGroup(fields: ActionGroupFields, others: ActionGroupRecord[]): Promise<void> {
    validateActionGroup(fields, others, this.options.listsFunctions);
    if (fields.apiSchema) await resolveApiSchema(fields.apiSchema, fields.actionGroupName, this.options.readSchemaObject);
  }

  private checkCollaborator(stored: StoredAgent, input: CollaboratorInput, except?: string): void {
    const agentId = stored.agent.agentId;
    if (stored.agent.agentCollaboration === 'DISABLED') {
      throw new OutcropError('ValidationException', `The agent ${agentId} has agentCollaboration DISABLED; set SUPERVISOR or SUPERVISOR_ROUTER with UpdateAgent before associating collaborators.`);
    }
    if (stored.collaborators.some((item) => item.collaboratorId !== except && item.collaboratorName === input.collaboratorName)) {
      throw new OutcropError('ConflictException', `A collaborator named ${input.collaboratorName} already exists for agent ${agentId}.`);
    }
    const aliasArn = input.agentDescriptor.aliasArn;
    const parsed = parseAgentArn(aliasArn);
    if (!parsed?.aliasId) throw new OutcropError('ValidationException', `agentDescriptor.aliasArn ${aliasArn} is not an agent alias ARN.`);
    if (parsed.agentId === agentId) throw new OutcropError('ValidationException', `The agent ${agentId} cannot be its own collaborator.`);
    const target = this.byId.get(parsed.agentId);
    if (!target?.aliases.some((alias) => alias.agentAliasId === parsed.aliasId)) throw notFound(`The collaborator alias ${aliasArn} was not found.`);
  }

  /**
   * An alias's routing: as given (checked), or, when none is given, a new numbered version
   * snapshotted from the prepared DRAFT (the agent after that, and its writes).
   */
  private routeAlias(stored: StoredAgent, routing: AliasRoute[] | undefined): { stored: StoredAgent; writes: AgentWrite[]; routing: AliasRoute[] } {
    if (routing !== undefined && routing.length > 0) {
      this.checkRouting(stored, routing);
      return { stored, writes: [], routing };
    }
    const made = this.versionFromDraft(stored);
    return { stored: made.stored, writes: [...made.writes], routing: [{ agentVersion: made.version }] };
  }

  private checkRouting(stored: StoredAgent, routing: AliasRoute[]): void {
    if (routing.length > 1) throw new OutcropError('ValidationException', `routingConfiguration takes one version; got ${routing.length}.`);
    const [route] = routing as [AliasRoute];
    if (route.provisionedThroughput !== undefined) throw new OutcropError('ValidationException', `The provisioned throughput ${route.provisionedThroughput} was not found; this server has no provisioned throughput.`);
    if (route.agentVersion === undefined) throw new OutcropError('ValidationException', 'routingConfiguration needs an agentVersion.');
    if (route.agentVersion === 'DRAFT') throw new OutcropError('ValidationException', `An alias cannot route to DRAFT; only the test alias ${testAliasId} does. Route to a numbered version.`);
    if (!stored.versions.some((version) => version.version === route.agentVersion)) throw notFound(`Version ${route.agentVersion} of agent ${stored.agent.agentId} was not found.`);
  }

  /** A new numbered version frozen from the prepared DRAFT, and the writes that store it. */
  private versionFromDraft(stored: StoredAgent): { stored: StoredAgent; writes: AgentWrite[]; version: string } {
    const { agent } = stored;
    if (agent.agentStatus !== 'PREPARED' || !agent.prepared) {
      throw new OutcropError('ValidationException', `The agent ${agent.agentId} is ${agent.agentStatus}; prepare it (PrepareAgent) before creating a version from its DRAFT.`);
    }
    const number = agent.lastVersion + 1;
    const version = String(number);
    const at = this.now();
    const settings = settingsOf(agent);
    const record: AgentVersionRecord = {
      agentId: agent.agentId,
      version,
      settings,
      actionGroups: stored.actionGroups.map((group) => ({ ...group, agentVersion: version })),
      knowledgeBases: stored.knowledgeBases.map((item) => ({ ...item, agentVersion: version })),
      collaborators: stored.collaborators.map((item) => ({ ...item, agentVersion: version })),
      definition: { ...agent.prepared, agentVersion: version },
      createdAt: at,
      updatedAt: at,
    };
    const updated: AgentRecord = { ...agent, lastVersion: number };
    return {
      stored: { ...stored, agent: updated, versions: [...stored.versions, record] },
      writes: [
        { put: 'version', record },
        { put: 'agent', record: updated },
      ],
      version,
    };
  }

  private resourcesOf(agentId: string, agentVersion: string): Pick<StoredAgent, 'actionGroups' | 'knowledgeBases' | 'collaborators'> {
    const stored = this.stored(agentId);
    if (agentVersion === 'DRAFT') return stored;
    const version = stored.versions.find((item) => item.version === agentVersion);
    if (!version) throw notFound(`Version ${agentVersion} of agent ${agentId} was not found.`);
    return version;
  }

  private async commitDraftChange(stored: StoredAgent, kind: ResourceKind, record: ActionGroupRecord | AgentKnowledgeBaseRecord | AgentCollaboratorRecord): Promise<void> {
    const agent = this.unprepared(stored.agent);
    const next = { ...stored, agent };
    if (kind === 'actionGroup') {
      const group = record as ActionGroupRecord;
      next.actionGroups = upsert(stored.actionGroups, group, (item) => item.actionGroupId === group.actionGroupId);
      await this.commit(next, [{ put: 'actionGroup', record: group }, { put: 'agent', record: agent }]);
    } else if (kind === 'knowledgeBase') {
      const knowledgeBase = record as AgentKnowledgeBaseRecord;
      next.knowledgeBases = upsert(stored.knowledgeBases, knowledgeBase, (item) => item.knowledgeBaseId === knowledgeBase.knowledgeBaseId);
      await this.commit(next, [{ put: 'knowledgeBase', record: knowledgeBase }, { put: 'agent', record: agent }]);
    } else {
      const collaborator = record as AgentCollaboratorRecord;
      next.collaborators = upsert(stored.collaborators, collaborator, (item) => item.collaboratorId === collaborator.collaboratorId);
      await this.commit(next, [{ put: 'collaborator', record: collaborator }, { put: 'agent', record: agent }]);
    }
  }

  /** Removes one action group, knowledge base or collaborator from the DRAFT, after `check` (which throws to refuse). */
  private async removeFromDraft(agentId: string, kind: ResourceKind, id: string, check: () => unknown): Promise<void> {
    await this.exclusive(async () => {
      const stored = this.stored(agentId);
      check();
      await this.commitDraftRemoval(stored, kind, id);
    });
  }

  private async commitDraftRemoval(stored: StoredAgent, kind: ResourceKind, id: string): Promise<void> {
    const agent = this.unprepared(stored.agent);
    const next: StoredAgent = {
      ...stored,
      agent,
      actionGroups: kind === 'actionGroup' ? stored.actionGroups.filter((item) => item.actionGroupId !== id) : stored.actionGroups,
      knowledgeBases: kind === 'knowledgeBase' ? stored.knowledgeBases.filter((item) => item.knowledgeBaseId !== id) : stored.knowledgeBases,
      collaborators: kind === 'collaborator' ? stored.collaborators.filter((item) => item.collaboratorId !== id) : stored.collaborators,
    };
    await this.commit(next, [
      { delete: kind, agentId: agent.agentId, id },
      { put: 'agent', record: agent },
    ]);
  }

  /** The agent after a change to its DRAFT: it needs preparing again. */
  private unprepared(agent: AgentRecord): AgentRecord {
    return { ...agent, agentStatus: 'NOT_PREPARED', updatedAt: this.now() };
  }

  private async commit(next: StoredAgent, writes: AgentWrite[]): Promise<void> {
    await this.options.repository.apply(writes);
    this.byId.set(next.agent.agentId, next);
  }

  private collaboratorUsing(matches: (aliasArn: string) => boolean, exceptAgent?: string): string | undefined {
    for (const stored of this.byId.values()) {
      if (stored.agent.agentId === exceptAgent) continue;
      if (stored.collaborators.some((item) => matches(item.agentDescriptor.aliasArn))) return stored.agent.agentId;
    }
    return undefined;
  }

  private assertAgentNameFree(name: string, except?: string): void {
    for (const stored of this.byId.values()) {
      if (stored.agent.agentId !== except && stored.agent.agentName === name) throw new OutcropError('ConflictException', `An agent named ${name} already exists.`);
    }
  }

  private assertAliasNameFree(stored: StoredAgent, name: string, except?: string): void {
    if (stored.aliases.some((alias) => alias.agentAliasId !== except && alias.agentAliasName === name)) {
      throw new OutcropError('ConflictException', `An alias named ${name} already exists for agent ${stored.agent.agentId}.`);
    }
  }

  private stored(agentId: string): StoredAgent {
    const stored = this.byId.get(agentId);
    if (!stored) throw notFound(`The agent ${agentId} was not found.`);
    return stored;
  }

  private uniqueId(taken: (id: string) => boolean): string {
    let id = this.newId();
    while (taken(id)) id = this.newId();
    return id;
  }

  private earlier<T>(scope: string, token: string | undefined): T | undefined {
    return token === undefined ? undefined : (this.tokens.get(`${scope}:${token}`) as T | undefined);
  }

  /** The record a retried create (same scope and client token) made before, if it still exists. */
  private retried<T>(scope: string, token: string | undefined, records: readonly T[], idOf: (record: T) => string): T | undefined {
    const earlier = this.earlier<string>(scope, token);
    return earlier === undefined ? undefined : records.find((record) => idOf(record) === earlier);
  }

  private remember(scope: string, token: string | undefined, value: unknown): void {
    if (token !== undefined) this.tokens.set(`${scope}:${token}`, value);
  }

  private exclusive<T>(write: () => Promise<T>): Promise<T> {
    const run = this.writes.then(write, write);
    this.writes = run.catch(() => {});
    return run;
  }
}

export interface CollaboratorInput {
  collaboratorName: string;
  collaborationInstruction: string;
  agentDescriptor: { aliasArn: string };
  relayConversationHistory?: 'TO_COLLABORATOR' | 'DISABLED';
}

export interface AliasInput {
  agentAliasName: string;
  description?: string;
  routingConfiguration?: AliasRoute[];
}

function withDefaults(input: AgentSettingsInput): AgentSettings {
  return {
    ...input,
    orchestrationType: input.orchestrationType ?? 'DEFAULT',
    idleSessionTTLInSeconds: input.idleSessionTTLInSeconds ?? defaultIdleSessionTTLInSeconds,
    agentCollaboration: input.agentCollaboration ?? 'DISABLED',
  };
}

/** Only the settings of an agent record, for freezing into a version. */
function settingsOf(agent: AgentRecord): AgentSettings {
  const {
    agentId: _id,
    agentArn: _arn,
    agentStatus: _status,
    clientToken: _token,
    failureReasons: _failures,
    createdAt: _created,
    updatedAt: _updated,
    preparedAt: _prepared,
    lastVersion: _last,
    tags: _tags,
    prepared: _definition,
    ...settings
  } = agent;
  return settings;
}

function latestVersion(stored: StoredAgent): string {
  return stored.versions.at(-1)?.version ?? 'DRAFT';
}

function upsert<T>(items: T[], item: T, same: (candidate: T) => boolean): T[] {
  return items.some(same) ? items.map((candidate) => (same(candidate) ? item : candidate)) : [...items, item];
}

function notFound(message: string): OutcropError {
  return new OutcropError('ResourceNotFoundException', message);
}
