import { randomUUID } from 'node:crypto';
import type { AgentActionGroupDefinition, AgentCollaboratorDefinition, AgentDefinition, AgentKnowledgeBaseDefinition } from '../../core/agents/agent-definition.js';
import { resolveApiSchema } from '../../core/agents/registry/build-agent-definition.js';
import { OutcropError } from '../../core/errors.js';
import type { AgentActionGroup, Collaborator, CollaboratorConfiguration, InvokeInlineAgentRequest, KnowledgeBase } from '../../protocol/generated/bedrock-agent-runtime-types.js';

/** Inline agents have no stored id; they run as this agent id in traces and sessions. */
export const inlineAgentId = 'INLINE_AGENT';
/** ...and this alias. */
export const inlineAliasId = 'INLINE';

const defaultTtlSeconds = 600;

/**
 * An InvokeInlineAgent request's agent (and its collaborators) as an `AgentDefinition`: OpenAPI
 * payloads parsed and checked as PrepareAgent does, collaborator configurations matched to the
 * collaborators by name.
 *
 * @example
 * const definition = await convertInlineAgent(input);
 */
export async function convertInlineAgent(input: InvokeInlineAgentRequest, options: InlineAgentOptions = {}): Promise<AgentDefinition> {
  const definition = await definitionOf({
    agentName: input.agentName ?? 'inline-agent',
    foundationModel: input.foundationModel,
    instruction: input.instruction,
    idleSessionTTLInSeconds: input.idleSessionTTLInSeconds,
    actionGroups: input.actionGroups,
    knowledgeBases: input.knowledgeBases,
    guardrailConfiguration: input.guardrailConfiguration,
    promptOverrideConfiguration: input.promptOverrideConfiguration as unknown as AgentDefinition['promptOverrideConfiguration'],
    agentCollaboration: input.agentCollaboration,
    collaboratorConfigurations: input.collaboratorConfigurations,
    collaborators: input.collaborators,
    listsFunctions: options.listsFunctions,
  });
  definition.agentId = inlineAgentId;
  if (input.orchestrationType) definition.orchestrationType = input.orchestrationType;
  return definition;
}

export interface InlineAgentOptions {
  /** whether a Lambda ARN runs on an executor that lists its own functions (an MCP server), so its group may have no schema */
  listsFunctions?: ((lambdaArn: string) => boolean) | undefined;
}

interface InlineAgentFields {
  agentName: string;
  foundationModel: string;
  instruction: string;
  idleSessionTTLInSeconds?: number | undefined;
  actionGroups?: AgentActionGroup[] | undefined;
  knowledgeBases?: KnowledgeBase[] | undefined;
  guardrailConfiguration?: { guardrailIdentifier: string; guardrailVersion: string } | undefined;
  promptOverrideConfiguration?: AgentDefinition['promptOverrideConfiguration'] | undefined;
  agentCollaboration?: AgentDefinition['agentCollaboration'] | undefined;
  collaboratorConfigurations?: CollaboratorConfiguration[] | undefined;
  collaborators?: Collaborator[] | undefined;
  listsFunctions?: ((lambdaArn: string) => boolean) | undefined;
}

async function definitionOf(fields: InlineAgentFields, depth = 0): Promise<AgentDefinition> {
  const collaboration = fields.agentCollaboration ?? 'DISABLED';
  const configurations = fields.collaboratorConfigurations ?? [];
  if (collaboration === 'DISABLED' && configurations.length > 0) {
    throw new OutcropError('ValidationException', 'collaboratorConfigurations require agentCollaboration SUPERVISOR or SUPERVISOR_ROUTER.');
  }
  if (collaboration !== 'DISABLED' && configurations.length === 0) {
    throw new OutcropError('ValidationException', `agentCollaboration ${collaboration} requires at least one entry in collaboratorConfigurations.`);
  }
  const collaborators: AgentCollaboratorDefinition[] = [];
  for (const configuration of configurations) {
    const collaborator = fields.collaborators?.find((candidate) => candidate.agentName === configuration.collaboratorName);
    if (!collaborator) {
      throw new OutcropError('ValidationException', `The collaborator configuration ${configuration.collaboratorName} names no entry of collaborators (match it to a collaborator's agentName).`);
    }
    if (depth > 0) throw new OutcropError('ValidationException', 'Inline collaborators cannot have collaborators of their own.');
    const agent = await definitionOf(
      {
        agentName: collaborator.agentName ?? configuration.collaboratorName,
        foundationModel: collaborator.foundationModel,
        instruction: collaborator.instruction,
        idleSessionTTLInSeconds: collaborator.idleSessionTTLInSeconds ?? fields.idleSessionTTLInSeconds,
        actionGroups: collaborator.actionGroups,
        knowledgeBases: collaborator.knowledgeBases,
        guardrailConfiguration: collaborator.guardrailConfiguration,
        promptOverrideConfiguration: collaborator.promptOverrideConfiguration as unknown as AgentDefinition['promptOverrideConfiguration'],
        agentCollaboration: collaborator.agentCollaboration,
        collaboratorConfigurations: collaborator.collaboratorConfigurations,
        listsFunctions: fields.listsFunctions,
      },
      depth + 1,
    );
    agent.agentId = `${inlineAgentId}_${configuration.collaboratorName}`.slice(0, 40);
    collaborators.push({
      collaboratorName: configuration.collaboratorName,
      collaboratorInstruction: configuration.collaboratorInstruction,
      ...(configuration.relayConversationHistory ? { relayConversationHistory: configuration.relayConversationHistory } : {}),
      ...(configuration.agentAliasArn ? { agentAliasArn: configuration.agentAliasArn } : {}),
      agent,
    });
  }
  const names = new Set<string>();
  const actionGroups: AgentActionGroupDefinition[] = [];
  for (const group of fields.actionGroups ?? []) {
    if (names.has(group.actionGroupName)) throw new OutcropError('ValidationException', `The action group name ${group.actionGroupName} is used more than once.`);
    names.add(group.actionGroupName);
    actionGroups.push(await actionGroupOf(group, fields.listsFunctions));
  }
  return {
    agentId: randomUUID(),
    agentName: fields.agentName,
    agentVersion: 'DRAFT',
    foundationModel: fields.foundationModel,
    instruction: fields.instruction,
    idleSessionTTLInSeconds: fields.idleSessionTTLInSeconds ?? defaultTtlSeconds,
    actionGroups,
    knowledgeBases: (fields.knowledgeBases ?? []).map(
      (knowledgeBase): AgentKnowledgeBaseDefinition => ({
        knowledgeBaseId: knowledgeBase.knowledgeBaseId,
        description: knowledgeBase.description,
        ...(knowledgeBase.retrievalConfiguration ? { retrievalConfiguration: knowledgeBase.retrievalConfiguration as unknown as Record<string, unknown> } : {}),
      }),
    ),
    ...(fields.guardrailConfiguration ? { guardrailConfiguration: fields.guardrailConfiguration } : {}),
    ...(fields.promptOverrideConfiguration ? { promptOverrideConfiguration: fields.promptOverrideConfiguration } : {}),
    orchestrationType: 'DEFAULT',
    agentCollaboration: collaboration,
    collaborators,
  };
}

async function actionGroupOf(group: AgentActionGroup, listsFunctions: InlineAgentOptions['listsFunctions']): Promise<AgentActionGroupDefinition> {
  const name = group.actionGroupName;
  const signature = group.parentActionGroupSignature;
  if (signature && signature !== 'AMAZON.UserInput' && signature !== 'AMAZON.CodeInterpreter') {
    throw new OutcropError('ValidationException', `The action group ${name} uses parentActionGroupSignature ${signature}, which this server does not support.`);
  }
  if (signature && (group.apiSchema || group.functionSchema || group.actionGroupExecutor)) {
    throw new OutcropError('ValidationException', `The action group ${name} with parentActionGroupSignature ${signature} must not have an apiSchema, functionSchema or actionGroupExecutor.`);
  }
  if (!signature) {
    if (!group.actionGroupExecutor) throw new OutcropError('ValidationException', `The action group ${name} needs an actionGroupExecutor (lambda or customControl RETURN_CONTROL).`);
    const lambda = (group.actionGroupExecutor as { lambda?: string }).lambda;
    const listed = !group.apiSchema && !group.functionSchema && lambda !== undefined && listsFunctions?.(lambda) === true;
    if (Boolean(group.apiSchema) === Boolean(group.functionSchema) && !listed) {
      throw new OutcropError('ValidationException', `The action group ${name} needs exactly one of apiSchema and functionSchema.`);
    }
  }
  const executor = group.actionGroupExecutor as { lambda?: string; customControl?: 'RETURN_CONTROL' } | undefined;
  const definition: AgentActionGroupDefinition = {
    actionGroupName: name,
    actionGroupState: 'ENABLED',
    ...(group.description ? { description: group.description } : {}),
    ...(signature ? { parentActionGroupSignature: signature } : {}),
    ...(executor ? { actionGroupExecutor: executor } : {}),
  };
  if (group.apiSchema) {
    const source = group.apiSchema as { payload?: string; s3?: { s3BucketName?: string; s3ObjectKey?: string } };
    definition.apiSchema = await resolveApiSchema(source.payload !== undefined ? { payload: source.payload } : { s3: source.s3 ?? {} }, name, undefined);
  }
  if (group.functionSchema) {
    const functions = (group.functionSchema as { functions?: unknown[] }).functions ?? [];
    if (functions.length === 0) throw new OutcropError('ValidationException', `The functionSchema of action group ${name} has no functions.`);
    definition.functionSchema = { functions: functions as NonNullable<AgentActionGroupDefinition['functionSchema']>['functions'] };
  }
  return definition;
}
