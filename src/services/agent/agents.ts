import type { AgentDefinition } from '../../core/agents/agent-definition.js';
import type { AgentRecord, AgentSettings } from '../../core/agents/registry/agent-records.js';
import type { AgentSettingsInput } from '../../core/agents/registry/agents.js';
import type { CreateAgentRequest, DeleteAgentRequest, GetAgentRequest, ListAgentsRequest, PrepareAgentRequest, UpdateAgentRequest } from '../../protocol/generated/bedrock-agent-types.js';
import type { HandlerContext } from '../handler.js';
import { agentsOf, defined } from './agents-of.js';

/** CreateAgent: the agent, its DRAFT and its test alias. */
export async function createAgent(input: CreateAgentRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const agent = await agentsOf(context).createAgent({ ...settingsFromRequest(input), ...defined({ clientToken: input.clientToken, tags: input.tags }) });
  return { agent: agentToWire(agent) };
}

/** GetAgent */
export async function getAgent(input: GetAgentRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { agent: agentToWire(agentsOf(context).getAgent(input.agentId)) };
}

/** ListAgents */
export async function listAgents(input: ListAgentsRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const page = agentsOf(context).listAgents(defined({ maxResults: input.maxResults, nextToken: input.nextToken }));
  return {
    agentSummaries: page.items.map((agent) => ({
      agentId: agent.agentId,
      agentName: agent.agentName,
      agentStatus: agent.agentStatus,
      ...defined({ description: agent.description, guardrailConfiguration: agent.guardrailConfiguration }),
      updatedAt: agent.updatedAt,
      latestAgentVersion: agent.latestAgentVersion,
    })),
    ...defined({ nextToken: page.nextToken }),
  };
}

/** UpdateAgent: replaces the DRAFT's settings. */
export async function updateAgent(input: UpdateAgentRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { agent: agentToWire(await agentsOf(context).updateAgent(input.agentId, settingsFromRequest(input))) };
}

/** DeleteAgent */
export async function deleteAgent(input: DeleteAgentRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const deleted = await agentsOf(context).deleteAgent(input.agentId, defined({ skipResourceInUseCheck: input.skipResourceInUseCheck }));
  return { agentId: deleted.agentId, agentStatus: deleted.agentStatus };
}

/** PrepareAgent: checks the DRAFT and snapshots it for the test alias. */
export async function prepareAgent(input: PrepareAgentRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const agent = await agentsOf(context).prepare(input.agentId);
  return { agentId: agent.agentId, agentStatus: agent.agentStatus, agentVersion: 'DRAFT', preparedAt: agent.preparedAt };
}

/** The wire form of an agent's settings (shared by Agent and AgentVersion). */
export function settingsToWire(settings: AgentSettings): Record<string, unknown> {
  return {
    agentName: settings.agentName,
    ...defined({
      instruction: settings.instruction,
      foundationModel: settings.foundationModel,
      description: settings.description,
      customOrchestration: settings.customOrchestration,
      customerEncryptionKeyArn: settings.customerEncryptionKeyArn,
      promptOverrideConfiguration: settings.promptOverrideConfiguration,
      guardrailConfiguration: settings.guardrailConfiguration,
      memoryConfiguration: settings.memoryConfiguration,
    }),
    orchestrationType: settings.orchestrationType,
    idleSessionTTLInSeconds: settings.idleSessionTTLInSeconds,
    agentResourceRoleArn: settings.agentResourceRoleArn ?? '',
    agentCollaboration: settings.agentCollaboration,
  };
}

function agentToWire(agent: AgentRecord): Record<string, unknown> {
  return {
    agentId: agent.agentId,
    agentArn: agent.agentArn,
    agentVersion: 'DRAFT',
    ...settingsToWire(agent),
    agentStatus: agent.agentStatus,
    ...defined({ clientToken: agent.clientToken, failureReasons: agent.failureReasons, preparedAt: agent.preparedAt }),
    createdAt: agent.createdAt,
    updatedAt: agent.updatedAt,
  };
}

function settingsFromRequest(input: CreateAgentRequest | UpdateAgentRequest): AgentSettingsInput {
  return {
    agentName: input.agentName,
    ...defined({
      instruction: input.instruction,
      foundationModel: input.foundationModel,
      description: input.description,
      orchestrationType: input.orchestrationType,
      customOrchestration: input.customOrchestration,
      idleSessionTTLInSeconds: input.idleSessionTTLInSeconds,
      agentResourceRoleArn: input.agentResourceRoleArn,
      customerEncryptionKeyArn: input.customerEncryptionKeyArn,
      promptOverrideConfiguration: input.promptOverrideConfiguration as AgentDefinition['promptOverrideConfiguration'],
      guardrailConfiguration: input.guardrailConfiguration,
      memoryConfiguration: input.memoryConfiguration,
      agentCollaboration: input.agentCollaboration,
    }),
  };
}
