/**
 * An agent ready to run: what PrepareAgent snapshots into an agent version (DRAFT or numbered) and
 * what InvokeInlineAgent passes whole. Shapes follow Bedrock's wire form (bedrock-agent-runtime's
 * `InvokeInlineAgent` definition members), so a prepared agent and an inline one run through the
 * same orchestration. Schemas are resolved: an OpenAPI schema stored in S3 is fetched at prepare time
 * and kept here as parsed JSON.
 */
export interface AgentDefinition {
  /** the agent's id; inline agents get a generated one */
  agentId: string;
  agentName: string;
  /** 'DRAFT' or a numbered version; inline agents use 'DRAFT' */
  agentVersion: string;
  /** catalog model id, foundation-model ARN or inference-profile ARN */
  foundationModel: string;
  instruction: string;
  description?: string;
  /** seconds a session may stay idle before it ends (Bedrock: 60..5400, default 600) */
  idleSessionTTLInSeconds: number;
  actionGroups: AgentActionGroupDefinition[];
  knowledgeBases: AgentKnowledgeBaseDefinition[];
  guardrailConfiguration?: { guardrailIdentifier: string; guardrailVersion: string };
  /** Bedrock's `PromptOverrideConfiguration`, wire form */
  promptOverrideConfiguration?: { promptConfigurations: Record<string, unknown>[]; overrideLambda?: string };
  /** `{ enabledMemoryTypes: ['SESSION_SUMMARY'], storageDays, sessionSummaryConfiguration: { maxRecentSessions } }` */
  memoryConfiguration?: { enabledMemoryTypes: string[]; storageDays?: number; sessionSummaryConfiguration?: { maxRecentSessions?: number } };
  orchestrationType: 'DEFAULT' | 'CUSTOM_ORCHESTRATION';
  /** with `CUSTOM_ORCHESTRATION`: the Lambda function that orchestrates (Bedrock's `CustomOrchestration`) */
  customOrchestration?: { executor?: { lambda?: string } };
  /** 'SUPERVISOR' | 'SUPERVISOR_ROUTER' | 'DISABLED' */
  agentCollaboration: 'SUPERVISOR' | 'SUPERVISOR_ROUTER' | 'DISABLED';
  collaborators: AgentCollaboratorDefinition[];
}

export interface AgentActionGroupDefinition {
  actionGroupId?: string;
  actionGroupName: string;
  description?: string;
  /** ENABLED groups only are offered to the model */
  actionGroupState?: 'ENABLED' | 'DISABLED';
  /** 'AMAZON.UserInput' or 'AMAZON.CodeInterpreter' for the built-ins */
  parentActionGroupSignature?: string;
  /** `{ lambda: arn }` or `{ customControl: 'RETURN_CONTROL' }`; absent for built-ins */
  actionGroupExecutor?: { lambda?: string; customControl?: 'RETURN_CONTROL' };
  /** the OpenAPI 3 document, parsed (from the inline payload or the S3 object) */
  apiSchema?: Record<string, unknown>;
  /** Bedrock's function schema: `{ functions: [{ name, description, parameters: { p: { type, description, required } }, requireConfirmation }] }` */
  functionSchema?: { functions: FunctionDefinition[] };
}

export interface FunctionDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, { type: 'string' | 'number' | 'integer' | 'boolean' | 'array'; description?: string; required?: boolean }>;
  requireConfirmation?: 'ENABLED' | 'DISABLED';
}

export interface AgentKnowledgeBaseDefinition {
  knowledgeBaseId: string;
  description: string;
  knowledgeBaseState?: 'ENABLED' | 'DISABLED';
  /** Bedrock's `KnowledgeBaseRetrievalConfiguration`, wire form */
  retrievalConfiguration?: Record<string, unknown>;
}

export interface AgentCollaboratorDefinition {
  collaboratorName: string;
  collaboratorInstruction: string;
  relayConversationHistory?: 'TO_COLLABORATOR' | 'DISABLED';
  /** the collaborator, resolved at prepare time from its alias ARN (or given inline) */
  agent: AgentDefinition;
  /** the alias ARN it was resolved from, for traces */
  agentAliasArn?: string;
}
