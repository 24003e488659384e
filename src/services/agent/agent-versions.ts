import type { DeleteAgentVersionRequest, GetAgentVersionRequest, ListAgentVersionsRequest } from '../../protocol/generated/bedrock-agent-types.js';
import type { HandlerContext } from '../handler.js';
import { settingsToWire } from './agents.js';
import { agentsOf, defined } from './agents-of.js';

/** ListAgentVersions: DRAFT and the numbered versions. */
export async function listAgentVersions(input: ListAgentVersionsRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const page = agentsOf(context).listVersions(input.agentId, defined({ maxResults: input.maxResults, nextToken: input.nextToken }));
  return {
    agentVersionSummaries: page.items.map((version) => ({
      agentName: version.settings.agentName,
      agentStatus: version.agentStatus,
      agentVersion: version.agentVersion,
      createdAt: version.createdAt,
      updatedAt: version.updatedAt,
      ...defined({ description: version.settings.description, guardrailConfiguration: version.settings.guardrailConfiguration }),
    })),
    ...defined({ nextToken: page.nextToken }),
  };
}

/** GetAgentVersion: one numbered version. */
export async function getAgentVersion(input: GetAgentVersionRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const version = agentsOf(context).getVersion(input.agentId, input.agentVersion);
  return {
    agentVersion: {
      agentId: version.agentId,
      agentArn: version.agentArn,
      version: version.version,
      ...settingsToWire(version.settings),
      agentStatus: 'PREPARED',
      createdAt: version.createdAt,
      updatedAt: version.updatedAt,
    },
  };
}

/** DeleteAgentVersion */
export async function deleteAgentVersion(input: DeleteAgentVersionRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  await agentsOf(context).deleteVersion(input.agentId, input.agentVersion, defined({ skipResourceInUseCheck: input.skipResourceInUseCheck }));
  return { agentId: input.agentId, agentVersion: input.agentVersion, agentStatus: 'DELETING' };
}
