import type {
  ActionGroupRecord,
  AgentAliasRecord,
  AgentCollaboratorRecord,
  AgentKnowledgeBaseRecord,
  AgentRecord,
  AgentVersionRecord,
} from '../../core/agents/registry/agent-records.js';

/**
 * Agent records as stored: JSON, with dates as ISO strings. Dates are revived only where the
 * records have them, never inside user content (an OpenAPI schema may hold any string).
 */
export const encodeRecord = (record: object): string => JSON.stringify(record);

type Dated<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | undefined ? string | undefined : T[K] };

const date = (value: string): Date => new Date(value);
const optionalDate = (value: string | undefined) => (value === undefined ? {} : { value: new Date(value) });

export function decodeAgent(text: string): AgentRecord {
  const parsed = JSON.parse(text) as Dated<AgentRecord>;
  const prepared = optionalDate(parsed.preparedAt);
  const { preparedAt: _, ...rest } = parsed;
  return { ...rest, createdAt: date(parsed.createdAt), updatedAt: date(parsed.updatedAt), ...('value' in prepared ? { preparedAt: prepared.value } : {}) };
}

export function decodeActionGroup(text: string): ActionGroupRecord {
  return reviveActionGroup(JSON.parse(text) as Dated<ActionGroupRecord>);
}

export function decodeKnowledgeBase(text: string): AgentKnowledgeBaseRecord {
  return reviveKnowledgeBase(JSON.parse(text) as Dated<AgentKnowledgeBaseRecord>);
}

export function decodeCollaborator(text: string): AgentCollaboratorRecord {
  return reviveCollaborator(JSON.parse(text) as Dated<AgentCollaboratorRecord>);
}

export function decodeVersion(text: string): AgentVersionRecord {
  const parsed = JSON.parse(text) as Omit<Dated<AgentVersionRecord>, 'actionGroups' | 'knowledgeBases' | 'collaborators'> & {
    actionGroups: Dated<ActionGroupRecord>[];
    knowledgeBases: Dated<AgentKnowledgeBaseRecord>[];
    collaborators: Dated<AgentCollaboratorRecord>[];
  };
  return {
    ...parsed,
    actionGroups: parsed.actionGroups.map(reviveActionGroup),
    knowledgeBases: parsed.knowledgeBases.map(reviveKnowledgeBase),
    collaborators: parsed.collaborators.map(reviveCollaborator),
    createdAt: date(parsed.createdAt),
    updatedAt: date(parsed.updatedAt),
  };
}

export function decodeAlias(text: string): AgentAliasRecord {
  const parsed = JSON.parse(text) as Omit<Dated<AgentAliasRecord>, 'history'> & { history: Array<{ routingConfiguration: AgentAliasRecord['routingConfiguration']; startDate: string; endDate?: string }> };
  return {
    ...parsed,
    history: parsed.history.map((event) => ({
      routingConfiguration: event.routingConfiguration,
      startDate: date(event.startDate),
      ...(event.endDate === undefined ? {} : { endDate: date(event.endDate) }),
    })),
    createdAt: date(parsed.createdAt),
    updatedAt: date(parsed.updatedAt),
  };
}

function reviveActionGroup(parsed: Dated<ActionGroupRecord>): ActionGroupRecord {
  return { ...parsed, createdAt: date(parsed.createdAt), updatedAt: date(parsed.updatedAt) };
}

function reviveKnowledgeBase(parsed: Dated<AgentKnowledgeBaseRecord>): AgentKnowledgeBaseRecord {
  return { ...parsed, createdAt: date(parsed.createdAt), updatedAt: date(parsed.updatedAt) };
}

function reviveCollaborator(parsed: Dated<AgentCollaboratorRecord>): AgentCollaboratorRecord {
  return { ...parsed, createdAt: date(parsed.createdAt), lastUpdatedAt: date(parsed.lastUpdatedAt) };
}
