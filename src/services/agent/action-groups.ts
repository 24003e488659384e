import type { ActionGroupRecord, ApiSchemaSource } from '../../core/agents/registry/agent-records.js';
import type { ActionGroupFields } from '../../core/agents/registry/validate-action-group.js';
import type {
  CreateAgentActionGroupRequest,
  DeleteAgentActionGroupRequest,
  GetAgentActionGroupRequest,
  ListAgentActionGroupsRequest,
  UpdateAgentActionGroupRequest,
} from '../../protocol/generated/bedrock-agent-types.js';
import type { HandlerContext } from '../handler.js';
import { agentsOf, defined } from './agents-of.js';

/** CreateAgentActionGroup */
export async function createAgentActionGroup(input: CreateAgentActionGroupRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const record = await agentsOf(context).createActionGroup(input.agentId, { ...fieldsFromRequest(input), ...defined({ clientToken: input.clientToken }) });
  return { agentActionGroup: actionGroupToWire(record) };
}

/** GetAgentActionGroup */
export async function getAgentActionGroup(input: GetAgentActionGroupRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { agentActionGroup: actionGroupToWire(agentsOf(context).getActionGroup(input.agentId, input.agentVersion, input.actionGroupId)) };
}

/** ListAgentActionGroups */
export async function listAgentActionGroups(input: ListAgentActionGroupsRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const page = agentsOf(context).listActionGroups(input.agentId, input.agentVersion, defined({ maxResults: input.maxResults, nextToken: input.nextToken }));
  return {
    actionGroupSummaries: page.items.map((group) => ({
      actionGroupId: group.actionGroupId,
      actionGroupName: group.actionGroupName,
      actionGroupState: group.actionGroupState,
      ...defined({ description: group.description }),
      updatedAt: group.updatedAt,
    })),
    ...defined({ nextToken: page.nextToken }),
  };
}

/** UpdateAgentActionGroup */
export async function updateAgentActionGroup(input: UpdateAgentActionGroupRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { agentActionGroup: actionGroupToWire(await agentsOf(context).updateActionGroup(input.agentId, input.actionGroupId, fieldsFromRequest(input))) };
}

/** DeleteAgentActionGroup */
export async function deleteAgentActionGroup(input: DeleteAgentActionGroupRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  await agentsOf(context).deleteActionGroup(input.agentId, input.actionGroupId, defined({ skipResourceInUseCheck: input.skipResourceInUseCheck }));
  return {};
}

function fieldsFromRequest(input: CreateAgentActionGroupRequest | UpdateAgentActionGroupRequest): ActionGroupFields {
  return {
    actionGroupName: input.actionGroupName,
    actionGroupState: input.actionGroupState ?? 'ENABLED',
    ...defined({
      description: input.description,
      parentActionSignature: input.parentActionGroupSignature,
      parentActionGroupSignatureParams: input.parentActionGroupSignatureParams,
      actionGroupExecutor: input.actionGroupExecutor,
      apiSchema: input.apiSchema as ApiSchemaSource | undefined,
      functionSchema: input.functionSchema,
    }),
  };
}

function actionGroupToWire(group: ActionGroupRecord): Record<string, unknown> {
  return {
    agentId: group.agentId,
    agentVersion: group.agentVersion,
    actionGroupId: group.actionGroupId,
    actionGroupName: group.actionGroupName,
    ...defined({
      clientToken: group.clientToken,
      description: group.description,
      parentActionSignature: group.parentActionSignature,
      parentActionGroupSignatureParams: group.parentActionGroupSignatureParams,
      actionGroupExecutor: group.actionGroupExecutor,
      apiSchema: group.apiSchema,
      functionSchema: group.functionSchema,
    }),
    actionGroupState: group.actionGroupState,
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
  };
}
