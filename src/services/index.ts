import { getFoundationModel, listFoundationModels } from './control/foundation-models.js';
import { createGuardrail, createGuardrailVersion, deleteGuardrail, getGuardrail, listGuardrails, updateGuardrail } from './control/guardrails.js';
import { createInferenceProfile, deleteInferenceProfile, getInferenceProfile, listInferenceProfiles } from './control/inference-profiles.js';
import { listTagsForResource, tagResource, untagResource } from './control/tagging.js';
import { deleteAgentMemory, getAgentMemory } from './agent-runtime/agent-memory.js';
import { invokeAgent } from './agent-runtime/invoke-agent.js';
import { invokeInlineAgent } from './agent-runtime/invoke-inline-agent.js';
import { rerank } from './agent-runtime/rerank.js';
import { retrieve } from './agent-runtime/retrieve.js';
import { retrieveAndGenerate, retrieveAndGenerateStream } from './agent-runtime/retrieve-and-generate.js';
import { createAgentActionGroup, deleteAgentActionGroup, getAgentActionGroup, listAgentActionGroups, updateAgentActionGroup } from './agent/action-groups.js';
import { createAgentAlias, deleteAgentAlias, getAgentAlias, listAgentAliases, updateAgentAlias } from './agent/agent-aliases.js';
import { associateAgentCollaborator, disassociateAgentCollaborator, getAgentCollaborator, listAgentCollaborators, updateAgentCollaborator } from './agent/agent-collaborators.js';
import { associateAgentKnowledgeBase, disassociateAgentKnowledgeBase, getAgentKnowledgeBase, listAgentKnowledgeBases, updateAgentKnowledgeBase } from './agent/agent-knowledge-bases.js';
import { listAgentResourceTags, tagAgentResource, untagAgentResource } from './agent/agent-tagging.js';
import { deleteAgentVersion, getAgentVersion, listAgentVersions } from './agent/agent-versions.js';
import { createAgent, deleteAgent, getAgent, listAgents, prepareAgent, updateAgent } from './agent/agents.js';
import { createDataSource, deleteDataSource, getDataSource, listDataSources, updateDataSource } from './agent/data-sources.js';
import { getIngestionJob, listIngestionJobs, startIngestionJob, stopIngestionJob } from './agent/ingestion-jobs.js';
import { deleteKnowledgeBaseDocuments, getKnowledgeBaseDocuments, ingestKnowledgeBaseDocuments, listKnowledgeBaseDocuments } from './agent/knowledge-base-documents.js';
import { withKnowledgeBaseTagging } from './agent/knowledge-base-tagging.js';
import { createKnowledgeBase, deleteKnowledgeBase, getKnowledgeBase, listKnowledgeBases, updateKnowledgeBase } from './agent/knowledge-bases.js';
import type { HandlerTable } from './handler.js';
import { applyGuardrail } from './runtime/apply-guardrail.js';
import { converse } from './runtime/converse.js';
import { converseStream } from './runtime/converse-stream.js';
import { countTokens } from './runtime/count-tokens.js';
import { invokeModel, invokeModelWithResponseStream } from './runtime/invoke-model.js';

export { openAIRoutes } from './openai/index.js';

/** Every implemented operation; the rest answer `NotImplementedException` (501). */
export const handlers: HandlerTable = {
  'bedrock-agent-runtime:InvokeAgent': invokeAgent,
  'bedrock-agent-runtime:InvokeInlineAgent': invokeInlineAgent,
  'bedrock-agent-runtime:GetAgentMemory': getAgentMemory,
  'bedrock-agent-runtime:DeleteAgentMemory': deleteAgentMemory,
  'bedrock-agent-runtime:Retrieve': retrieve,
  'bedrock-agent-runtime:RetrieveAndGenerate': retrieveAndGenerate,
  'bedrock-agent-runtime:RetrieveAndGenerateStream': retrieveAndGenerateStream,
  'bedrock-agent-runtime:Rerank': rerank,
  'bedrock-runtime:Converse': converse,
  'bedrock-runtime:ConverseStream': converseStream,
  'bedrock-runtime:InvokeModel': invokeModel,
  'bedrock-runtime:InvokeModelWithResponseStream': invokeModelWithResponseStream,
  'bedrock-runtime:CountTokens': countTokens,
  'bedrock-runtime:ApplyGuardrail': applyGuardrail,
  'bedrock:ListFoundationModels': listFoundationModels,
  'bedrock:GetFoundationModel': getFoundationModel,
  'bedrock:CreateInferenceProfile': createInferenceProfile,
  'bedrock:GetInferenceProfile': getInferenceProfile,
  'bedrock:ListInferenceProfiles': listInferenceProfiles,
  'bedrock:DeleteInferenceProfile': deleteInferenceProfile,
  'bedrock:CreateGuardrail': createGuardrail,
  'bedrock:UpdateGuardrail': updateGuardrail,
  'bedrock:GetGuardrail': getGuardrail,
  'bedrock:ListGuardrails': listGuardrails,
  'bedrock:DeleteGuardrail': deleteGuardrail,
  'bedrock:CreateGuardrailVersion': createGuardrailVersion,
  'bedrock:TagResource': tagResource,
  'bedrock:UntagResource': untagResource,
  'bedrock:ListTagsForResource': listTagsForResource,
  'bedrock-agent:CreateAgent': createAgent,
  'bedrock-agent:GetAgent': getAgent,
  'bedrock-agent:ListAgents': listAgents,
  'bedrock-agent:UpdateAgent': updateAgent,
  'bedrock-agent:DeleteAgent': deleteAgent,
  'bedrock-agent:PrepareAgent': prepareAgent,
  'bedrock-agent:CreateAgentActionGroup': createAgentActionGroup,
  'bedrock-agent:GetAgentActionGroup': getAgentActionGroup,
  'bedrock-agent:ListAgentActionGroups': listAgentActionGroups,
  'bedrock-agent:UpdateAgentActionGroup': updateAgentActionGroup,
  'bedrock-agent:DeleteAgentActionGroup': deleteAgentActionGroup,
  'bedrock-agent:AssociateAgentKnowledgeBase': associateAgentKnowledgeBase,
  'bedrock-agent:GetAgentKnowledgeBase': getAgentKnowledgeBase,
  'bedrock-agent:ListAgentKnowledgeBases': listAgentKnowledgeBases,
  'bedrock-agent:UpdateAgentKnowledgeBase': updateAgentKnowledgeBase,
  'bedrock-agent:DisassociateAgentKnowledgeBase': disassociateAgentKnowledgeBase,
  'bedrock-agent:AssociateAgentCollaborator': associateAgentCollaborator,
  'bedrock-agent:GetAgentCollaborator': getAgentCollaborator,
  'bedrock-agent:ListAgentCollaborators': listAgentCollaborators,
  'bedrock-agent:UpdateAgentCollaborator': updateAgentCollaborator,
  'bedrock-agent:DisassociateAgentCollaborator': disassociateAgentCollaborator,
  'bedrock-agent:ListAgentVersions': listAgentVersions,
  'bedrock-agent:GetAgentVersion': getAgentVersion,
  'bedrock-agent:DeleteAgentVersion': deleteAgentVersion,
  'bedrock-agent:CreateAgentAlias': createAgentAlias,
  'bedrock-agent:GetAgentAlias': getAgentAlias,
  'bedrock-agent:ListAgentAliases': listAgentAliases,
  'bedrock-agent:UpdateAgentAlias': updateAgentAlias,
  'bedrock-agent:DeleteAgentAlias': deleteAgentAlias,
  'bedrock-agent:TagResource': withKnowledgeBaseTagging('tag', tagAgentResource),
  'bedrock-agent:UntagResource': withKnowledgeBaseTagging('untag', untagAgentResource),
  'bedrock-agent:ListTagsForResource': withKnowledgeBaseTagging('list', listAgentResourceTags),
  'bedrock-agent:CreateKnowledgeBase': createKnowledgeBase,
  'bedrock-agent:GetKnowledgeBase': getKnowledgeBase,
  'bedrock-agent:ListKnowledgeBases': listKnowledgeBases,
  'bedrock-agent:UpdateKnowledgeBase': updateKnowledgeBase,
  'bedrock-agent:DeleteKnowledgeBase': deleteKnowledgeBase,
  'bedrock-agent:CreateDataSource': createDataSource,
  'bedrock-agent:GetDataSource': getDataSource,
  'bedrock-agent:ListDataSources': listDataSources,
  'bedrock-agent:UpdateDataSource': updateDataSource,
  'bedrock-agent:DeleteDataSource': deleteDataSource,
  'bedrock-agent:StartIngestionJob': startIngestionJob,
  'bedrock-agent:GetIngestionJob': getIngestionJob,
  'bedrock-agent:ListIngestionJobs': listIngestionJobs,
  'bedrock-agent:StopIngestionJob': stopIngestionJob,
  'bedrock-agent:IngestKnowledgeBaseDocuments': ingestKnowledgeBaseDocuments,
  'bedrock-agent:GetKnowledgeBaseDocuments': getKnowledgeBaseDocuments,
  'bedrock-agent:ListKnowledgeBaseDocuments': listKnowledgeBaseDocuments,
  'bedrock-agent:DeleteKnowledgeBaseDocuments': deleteKnowledgeBaseDocuments,
};
