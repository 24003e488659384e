import { OutcropError } from '../../errors.js';
import type { AgentActionGroupDefinition, AgentCollaboratorDefinition, AgentDefinition } from '../agent-definition.js';
import type { ActionGroupRecord, ApiSchemaSource, StoredAgent } from './agent-records.js';
import { parseOpenApiSchema } from './openapi-schema.js';

/** Reads the text of an S3 (or S3-compatible) object; throws when it cannot. */
export type SchemaObjectReader = (bucket: string, key: string) => Promise<string>;

export interface DefinitionResolvers {
  readSchemaObject?: SchemaObjectReader | undefined;
  /** throws when the knowledge base does not exist; absent where knowledge bases are off */
  knowledgeBases?: { get(knowledgeBaseId: string): Promise<unknown> } | undefined;
  /** the prepared definition an agent alias ARN runs; throws when it cannot be resolved */
  resolveCollaborator(aliasArn: string): Promise<AgentDefinition>;
}

/**
 * An action group's OpenAPI schema, parsed and checked: the inline payload, or the S3 object it
 * names, read through `readSchemaObject`.
 *
 * @example
 * const document = await resolveApiSchema({ payload: yamlText }, 'weather', undefined);
 */
export async function resolveApiSchema(source: ApiSchemaSource, actionGroupName: string, readSchemaObject: SchemaObjectReader | undefined): Promise<Record<string, unknown>> {
  if ('payload' in source) return parseOpenApiSchema(source.payload, actionGroupName);
  const { s3BucketName: bucket, s3ObjectKey: key } = source.s3;
  if (!bucket || !key) throw new OutcropError('ValidationException', `The apiSchema.s3 of action group ${actionGroupName} needs both s3BucketName and s3ObjectKey.`);
  if (!readSchemaObject) throw new OutcropError('ValidationException', `The OpenAPI schema of action group ${actionGroupName} is in S3, but this server has no S3 access configured (agents.s3).`);
  let text: string;
  try {
    text = await readSchemaObject(bucket, key);
  } catch (error) {
    throw new OutcropError('ValidationException', `The OpenAPI schema of action group ${actionGroupName} could not be read from s3://${bucket}/${key}: ${(error as Error).message}`, { cause: error });
  }
  return parseOpenApiSchema(text, actionGroupName);
}

/**
 * What PrepareAgent snapshots into DRAFT: the agent's settings with every reference resolved and
 * checked (schemas parsed, knowledge bases present, collaborators' alias versions nested), or a
 * `ValidationException` naming the first problem.
 *
 * @example
 * const definition = await buildAgentDefinition(stored, { readSchemaObject, resolveCollaborator: (arn) => agents.resolveAliasArn(arn) });
 */
export async function buildAgentDefinition(stored: StoredAgent, resolvers: DefinitionResolvers): Promise<AgentDefinition> {
  const { agent } = stored;
  if (agent.foundationModel === undefined) throw new OutcropError('ValidationException', `The agent ${agent.agentId} has no foundationModel; set one with UpdateAgent before preparing it.`);
  if (agent.instruction === undefined) throw new OutcropError('ValidationException', `The agent ${agent.agentId} has no instruction; set one with UpdateAgent before preparing it.`);
  const actionGroups: AgentActionGroupDefinition[] = [];
  for (const group of stored.actionGroups) actionGroups.push(await actionGroupDefinition(group, resolvers.readSchemaObject));
  for (const knowledgeBase of stored.knowledgeBases) {
    if (!resolvers.knowledgeBases) continue;
    try {
      await resolvers.knowledgeBases.get(knowledgeBase.knowledgeBaseId);
    } catch {
      throw new OutcropError('ValidationException', `The knowledge base ${knowledgeBase.knowledgeBaseId} associated with agent ${agent.agentId} no longer exists; disassociate it before preparing.`);
    }
  }
  if (agent.agentCollaboration === 'DISABLED' && stored.collaborators.length > 0) {
    throw new OutcropError('ValidationException', `The agent ${agent.agentId} has collaborators but agentCollaboration is DISABLED; set SUPERVISOR or SUPERVISOR_ROUTER, or disassociate them.`);
  }
  if (agent.agentCollaboration !== 'DISABLED' && stored.collaborators.length === 0) {
    throw new OutcropError('ValidationException', `The agent ${agent.agentId} is a ${agent.agentCollaboration} but has no collaborators; associate at least one with AssociateAgentCollaborator.`);
  }
  const collaborators: AgentCollaboratorDefinition[] = [];
  for (const collaborator of stored.collaborators) {
    const aliasArn = collaborator.agentDescriptor.aliasArn;
    let resolved: AgentDefinition;
    try {
      resolved = await resolvers.resolveCollaborator(aliasArn);
    } catch (error) {
      throw new OutcropError('ValidationException', `The collaborator ${collaborator.collaboratorName} (${aliasArn}) cannot be used: ${(error as Error).message}`, { cause: error });
    }
    collaborators.push({
      collaboratorName: collaborator.collaboratorName,
      collaboratorInstruction: collaborator.collaborationInstruction,
      relayConversationHistory: collaborator.relayConversationHistory,
      agent: resolved,
      agentAliasArn: aliasArn,
    });
  }
  const guardrail = agent.guardrailConfiguration;
  return {
    agentId: agent.agentId,
    agentName: agent.agentName,
    agentVersion: 'DRAFT',
    foundationModel: agent.foundationModel,
    instruction: agent.instruction,
    ...(agent.description === undefined ? {} : { description: agent.description }),
    idleSessionTTLInSeconds: agent.idleSessionTTLInSeconds,
    actionGroups,
    knowledgeBases: stored.knowledgeBases.map((knowledgeBase) => ({
      knowledgeBaseId: knowledgeBase.knowledgeBaseId,
      description: knowledgeBase.description,
      knowledgeBaseState: knowledgeBase.knowledgeBaseState,
    })),
    ...(guardrail?.guardrailIdentifier && guardrail.guardrailVersion ? { guardrailConfiguration: { guardrailIdentifier: guardrail.guardrailIdentifier, guardrailVersion: guardrail.guardrailVersion } } : {}),
    ...(agent.promptOverrideConfiguration === undefined ? {} : { promptOverrideConfiguration: agent.promptOverrideConfiguration }),
    ...(agent.memoryConfiguration === undefined ? {} : { memoryConfiguration: agent.memoryConfiguration }),
    orchestrationType: agent.orchestrationType,
    ...(agent.customOrchestration === undefined ? {} : { customOrchestration: agent.customOrchestration }),
    agentCollaboration: agent.agentCollaboration,
    collaborators,
  };
}

async function actionGroupDefinition(group: ActionGroupRecord, readSchemaObject: SchemaObjectReader | undefined): Promise<AgentActionGroupDefinition> {
  return {
    actionGroupId: group.actionGroupId,
    actionGroupName: group.actionGroupName,
    ...(group.description === undefined ? {} : { description: group.description }),
    actionGroupState: group.actionGroupState,
    ...(group.parentActionSignature === undefined ? {} : { parentActionGroupSignature: group.parentActionSignature }),
    ...(group.actionGroupExecutor === undefined ? {} : { actionGroupExecutor: group.actionGroupExecutor }),
    ...(group.apiSchema === undefined ? {} : { apiSchema: await resolveApiSchema(group.apiSchema, group.actionGroupName, readSchemaObject) }),
    ...(group.functionSchema === undefined ? {} : { functionSchema: group.functionSchema }),
  };
}
