import type { AgentKnowledgeBaseRecord } from '../../core/agents/registry/agent-records.js';
import type {
  AssociateAgentKnowledgeBaseRequest,
  DisassociateAgentKnowledgeBaseRequest,
  GetAgentKnowledgeBaseRequest,
  ListAgentKnowledgeBasesRequest,
  UpdateAgentKnowledgeBaseRequest,
} from '../../protocol/generated/bedrock-agent-types.js';
import type { HandlerContext } from '../handler.js';
import { agentsOf, defined } from './agents-of.js';

/** AssociateAgentKnowledgeBase */
export async function associateAgentKnowledgeBase(input: AssociateAgentKnowledgeBaseRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const record = await agentsOf(context).associateKnowledgeBase(input.agentId, {
    knowledgeBaseId: input.knowledgeBaseId,
    description: input.description,
    ...defined({ knowledgeBaseState: input.knowledgeBaseState }),
  });
  return { agentKnowledgeBase: knowledgeBaseToWire(record) };
}

/** GetAgentKnowledgeBase */
export async function getAgentKnowledgeBase(input: GetAgentKnowledgeBaseRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { agentKnowledgeBase: knowledgeBaseToWire(agentsOf(context).getKnowledgeBase(input.agentId, input.agentVersion, input.knowledgeBaseId)) };
}

/** ListAgentKnowledgeBases */
export async function listAgentKnowledgeBases(input: ListAgentKnowledgeBasesRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const page = agentsOf(context).listKnowledgeBases(input.agentId, input.agentVersion, defined({ maxResults: input.maxResults, nextToken: input.nextToken }));
  return {
    agentKnowledgeBaseSummaries: page.items.map((item) => ({
      knowledgeBaseId: item.knowledgeBaseId,
      description: item.description,
      knowledgeBaseState: item.knowledgeBaseState,
      updatedAt: item.updatedAt,
    })),
    ...defined({ nextToken: page.nextToken }),
  };
}

/** UpdateAgentKnowledgeBase */
export async function updateAgentKnowledgeBase(input: UpdateAgentKnowledgeBaseRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const record = await agentsOf(context).updateKnowledgeBase(input.agentId, input.knowledgeBaseId, defined({ description: input.description, knowledgeBaseState: input.knowledgeBaseState }));
  return { agentKnowledgeBase: knowledgeBaseToWire(record) };
}

/** DisassociateAgentKnowledgeBase */
export async function disassociateAgentKnowledgeBase(input: DisassociateAgentKnowledgeBaseRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  await agentsOf(context).disassociateKnowledgeBase(input.agentId, input.knowledgeBaseId);
  return {};
}

function knowledgeBaseToWire(record: AgentKnowledgeBaseRecord): Record<string, unknown> {
  return {
    agentId: record.agentId,
    agentVersion: record.agentVersion,
    knowledgeBaseId: record.knowledgeBaseId,
    description: record.description,
    knowledgeBaseState: record.knowledgeBaseState,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
