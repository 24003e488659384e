import type { AgentCollaboratorRecord } from '../../core/agents/registry/agent-records.js';
import type { CollaboratorInput } from '../../core/agents/registry/agents.js';
import { OutcropError } from '../../core/errors.js';
import type {
  AssociateAgentCollaboratorRequest,
  DisassociateAgentCollaboratorRequest,
  GetAgentCollaboratorRequest,
  ListAgentCollaboratorsRequest,
  UpdateAgentCollaboratorRequest,
} from '../../protocol/generated/bedrock-agent-types.js';
import type { HandlerContext } from '../handler.js';
import { agentsOf, defined } from './agents-of.js';

/** AssociateAgentCollaborator */
export async function associateAgentCollaborator(input: AssociateAgentCollaboratorRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const record = await agentsOf(context).associateCollaborator(input.agentId, { ...collaboratorFromRequest(input), ...defined({ clientToken: input.clientToken }) });
  return { agentCollaborator: collaboratorToWire(record) };
}

/** GetAgentCollaborator */
export async function getAgentCollaborator(input: GetAgentCollaboratorRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { agentCollaborator: collaboratorToWire(agentsOf(context).getCollaborator(input.agentId, input.agentVersion, input.collaboratorId)) };
}

/** ListAgentCollaborators */
export async function listAgentCollaborators(input: ListAgentCollaboratorsRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const page = agentsOf(context).listCollaborators(input.agentId, input.agentVersion, defined({ maxResults: input.maxResults, nextToken: input.nextToken }));
  return {
    agentCollaboratorSummaries: page.items.map((record) => {
      const { clientToken: _token, ...summary } = collaboratorToWire(record);
      return summary;
    }),
    ...defined({ nextToken: page.nextToken }),
  };
}

/** UpdateAgentCollaborator */
export async function updateAgentCollaborator(input: UpdateAgentCollaboratorRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { agentCollaborator: collaboratorToWire(await agentsOf(context).updateCollaborator(input.agentId, input.collaboratorId, collaboratorFromRequest(input))) };
}

/** DisassociateAgentCollaborator */
export async function disassociateAgentCollaborator(input: DisassociateAgentCollaboratorRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  await agentsOf(context).disassociateCollaborator(input.agentId, input.collaboratorId);
  return {};
}

function collaboratorFromRequest(input: AssociateAgentCollaboratorRequest | UpdateAgentCollaboratorRequest): CollaboratorInput {
  const aliasArn = input.agentDescriptor.aliasArn;
  if (!aliasArn) throw new OutcropError('ValidationException', 'agentDescriptor.aliasArn is required: the alias ARN of the collaborator agent.');
  return {
    collaboratorName: input.collaboratorName,
    collaborationInstruction: input.collaborationInstruction,
    agentDescriptor: { aliasArn },
    ...defined({ relayConversationHistory: input.relayConversationHistory }),
  };
}

function collaboratorToWire(record: AgentCollaboratorRecord): Record<string, unknown> {
  return {
    agentId: record.agentId,
    agentVersion: record.agentVersion,
    agentDescriptor: record.agentDescriptor,
    collaboratorId: record.collaboratorId,
    collaborationInstruction: record.collaborationInstruction,
    collaboratorName: record.collaboratorName,
    createdAt: record.createdAt,
    lastUpdatedAt: record.lastUpdatedAt,
    relayConversationHistory: record.relayConversationHistory,
    ...defined({ clientToken: record.clientToken }),
  };
}
