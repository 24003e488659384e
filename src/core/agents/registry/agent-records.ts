import type { AgentDefinition, FunctionDefinition } from '../agent-definition.js';

/** Bedrock's `AgentStatus`. */
export type AgentStatus = 'CREATING' | 'PREPARING' | 'PREPARED' | 'NOT_PREPARED' | 'DELETING' | 'FAILED' | 'VERSIONING' | 'UPDATING';
export type AgentCollaboration = 'SUPERVISOR' | 'SUPERVISOR_ROUTER' | 'DISABLED';
export type OrchestrationType = 'DEFAULT' | 'CUSTOM_ORCHESTRATION';

/** What the client sets on an agent (CreateAgent / UpdateAgent), in Bedrock's wire form. */
export interface AgentSettings {
  agentName: string;
  instruction?: string;
  foundationModel?: string;
  description?: string;
  orchestrationType: OrchestrationType;
  customOrchestration?: { executor?: { lambda?: string } };
  idleSessionTTLInSeconds: number;
  agentResourceRoleArn?: string;
  customerEncryptionKeyArn?: string;
  promptOverrideConfiguration?: NonNullable<AgentDefinition['promptOverrideConfiguration']>;
  guardrailConfiguration?: { guardrailIdentifier?: string; guardrailVersion?: string };
  memoryConfiguration?: NonNullable<AgentDefinition['memoryConfiguration']>;
  agentCollaboration: AgentCollaboration;
}

/** An agent: its settings (the DRAFT's), its status, and the DRAFT as it was last prepared. */
export interface AgentRecord extends AgentSettings {
  /** 10 uppercase letters and digits */
  agentId: string;
  /** `arn:aws:bedrock:{region}:{account}:agent/{agentId}` */
  agentArn: string;
  agentStatus: AgentStatus;
  clientToken?: string;
  failureReasons?: string[];
  createdAt: Date;
  updatedAt: Date;
  preparedAt?: Date;
  /** the highest numbered version ever made (numbers are never reused) */
  lastVersion: number;
  tags: Record<string, string>;
  /** what PrepareAgent last snapshotted into DRAFT; what alias TSTALIASID runs */
  prepared?: AgentDefinition;
}

/** Bedrock's `APISchema`: an inline OpenAPI document or an S3 object holding one. */
export type ApiSchemaSource = { payload: string } | { s3: { s3BucketName?: string; s3ObjectKey?: string } };

/** One action group of one agent version, in Bedrock's wire form. */
export interface ActionGroupRecord {
  agentId: string;
  agentVersion: string;
  actionGroupId: string;
  actionGroupName: string;
  description?: string;
  parentActionSignature?: string;
  parentActionGroupSignatureParams?: Record<string, string>;
  actionGroupExecutor?: { lambda: string } | { customControl: 'RETURN_CONTROL' };
  apiSchema?: ApiSchemaSource;
  functionSchema?: { functions: FunctionDefinition[] };
  actionGroupState: 'ENABLED' | 'DISABLED';
  clientToken?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A knowledge base associated with one agent version. */
export interface AgentKnowledgeBaseRecord {
  agentId: string;
  agentVersion: string;
  knowledgeBaseId: string;
  description: string;
  knowledgeBaseState: 'ENABLED' | 'DISABLED';
  createdAt: Date;
  updatedAt: Date;
}

/** A collaborator (another agent's alias) of one supervisor agent version. */
export interface AgentCollaboratorRecord {
  agentId: string;
  agentVersion: string;
  collaboratorId: string;
  collaboratorName: string;
  collaborationInstruction: string;
  agentDescriptor: { aliasArn: string };
  relayConversationHistory: 'TO_COLLABORATOR' | 'DISABLED';
  clientToken?: string;
  createdAt: Date;
  lastUpdatedAt: Date;
}

/** An immutable numbered version: the agent's settings, sub-resources and prepared definition, frozen. */
export interface AgentVersionRecord {
  agentId: string;
  /** `1`, `2`, ... */
  version: string;
  settings: AgentSettings;
  actionGroups: ActionGroupRecord[];
  knowledgeBases: AgentKnowledgeBaseRecord[];
  collaborators: AgentCollaboratorRecord[];
  definition: AgentDefinition;
  createdAt: Date;
  updatedAt: Date;
}

/** Bedrock's `AgentAliasRoutingConfigurationListItem`. */
export interface AliasRoute {
  agentVersion?: string;
  provisionedThroughput?: string;
}

/** An alias and the history of where it pointed, newest first. */
export interface AgentAliasRecord {
  agentId: string;
  /** 10 uppercase letters and digits, or `TSTALIASID` */
  agentAliasId: string;
  agentAliasName: string;
  agentAliasArn: string;
  description?: string;
  routingConfiguration: AliasRoute[];
  history: Array<{ routingConfiguration: AliasRoute[]; startDate: Date; endDate?: Date }>;
  aliasInvocationState: 'ACCEPT_INVOCATIONS' | 'REJECT_INVOCATIONS';
  clientToken?: string;
  tags: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

/** Everything stored for one agent. */
export interface StoredAgent {
  agent: AgentRecord;
  /** the DRAFT's action groups, knowledge bases and collaborators; numbered versions carry their own */
  actionGroups: ActionGroupRecord[];
  knowledgeBases: AgentKnowledgeBaseRecord[];
  collaborators: AgentCollaboratorRecord[];
  versions: AgentVersionRecord[];
  aliases: AgentAliasRecord[];
}

/** One change to the agent store; a batch of them is applied atomically. */
export type AgentWrite =
  | { put: 'agent'; record: AgentRecord }
  | { put: 'actionGroup'; record: ActionGroupRecord }
  | { put: 'knowledgeBase'; record: AgentKnowledgeBaseRecord }
  | { put: 'collaborator'; record: AgentCollaboratorRecord }
  | { put: 'version'; record: AgentVersionRecord }
  | { put: 'alias'; record: AgentAliasRecord }
  | { delete: 'agent'; agentId: string }
  | { delete: 'actionGroup' | 'knowledgeBase' | 'collaborator' | 'version' | 'alias'; agentId: string; id: string };

/**
 * Where agents persist (implemented in `storage/agents/`). `put` is an upsert keyed by the record's
 * ids; deleting an agent removes everything under it. A batch of writes lands whole or not at all.
 */
export interface AgentRepository {
  /** every agent with its DRAFT sub-resources, versions and aliases, in creation order */
  list(): Promise<StoredAgent[]>;
  apply(writes: AgentWrite[]): Promise<void>;
}
