import type { AgentAliasRecord } from '../../core/agents/registry/agent-records.js';
import type { CreateAgentAliasRequest, DeleteAgentAliasRequest, GetAgentAliasRequest, ListAgentAliasesRequest, UpdateAgentAliasRequest } from '../../protocol/generated/bedrock-agent-types.js';
import type { HandlerContext } from '../handler.js';
import { agentsOf, defined } from './agents-of.js';

/** CreateAgentAlias: without routingConfiguration, the prepared DRAFT becomes the next numbered version. */
export async function createAgentAlias(input: CreateAgentAliasRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const record = await agentsOf(context).createAlias(input.agentId, {
    agentAliasName: input.agentAliasName,
    ...defined({ description: input.description, routingConfiguration: input.routingConfiguration, clientToken: input.clientToken, tags: input.tags }),
  });
  return { agentAlias: aliasToWire(record) };
}

/** GetAgentAlias */
export async function getAgentAlias(input: GetAgentAliasRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { agentAlias: aliasToWire(agentsOf(context).getAlias(input.agentId, input.agentAliasId)) };
}

/** ListAgentAliases */
export async function listAgentAliases(input: ListAgentAliasesRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const page = agentsOf(context).listAliases(input.agentId, defined({ maxResults: input.maxResults, nextToken: input.nextToken }));
  return {
    agentAliasSummaries: page.items.map((alias) => ({
      agentAliasId: alias.agentAliasId,
      agentAliasName: alias.agentAliasName,
      ...defined({ description: alias.description }),
      routingConfiguration: alias.routingConfiguration,
      agentAliasStatus: 'PREPARED',
      createdAt: alias.createdAt,
      updatedAt: alias.updatedAt,
      aliasInvocationState: alias.aliasInvocationState,
    })),
    ...defined({ nextToken: page.nextToken }),
  };
}

/** UpdateAgentAlias */
export async function updateAgentAlias(input: UpdateAgentAliasRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const record = await agentsOf(context).updateAlias(input.agentId, input.agentAliasId, {
    agentAliasName: input.agentAliasName,
    ...defined({ description: input.description, routingConfiguration: input.routingConfiguration, aliasInvocationState: input.aliasInvocationState }),
  });
  return { agentAlias: aliasToWire(record) };
}

/** DeleteAgentAlias */
export async function deleteAgentAlias(input: DeleteAgentAliasRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const deleted = await agentsOf(context).deleteAlias(input.agentId, input.agentAliasId);
  return { agentId: deleted.agentId, agentAliasId: deleted.agentAliasId, agentAliasStatus: 'DELETING' };
}

function aliasToWire(alias: AgentAliasRecord): Record<string, unknown> {
  return {
    agentId: alias.agentId,
    agentAliasId: alias.agentAliasId,
    agentAliasName: alias.agentAliasName,
    agentAliasArn: alias.agentAliasArn,
    ...defined({ clientToken: alias.clientToken, description: alias.description }),
    routingConfiguration: alias.routingConfiguration,
    createdAt: alias.createdAt,
    updatedAt: alias.updatedAt,
    agentAliasHistoryEvents: alias.history.map((event) => ({ routingConfiguration: event.routingConfiguration, startDate: event.startDate, ...defined({ endDate: event.endDate }) })),
    agentAliasStatus: 'PREPARED',
    aliasInvocationState: alias.aliasInvocationState,
  };
}
