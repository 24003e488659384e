import { getFoundationModel, listFoundationModels } from './control/foundation-models.js';
import { createGuardrail, createGuardrailVersion, deleteGuardrail, getGuardrail, listGuardrails, updateGuardrail } from './control/guardrails.js';
import { createInferenceProfile, deleteInferenceProfile, getInferenceProfile, listInferenceProfiles } from './control/inference-profiles.js';
import { listTagsForResource, tagResource, untagResource } from './control/tagging.js';
import type { HandlerTable } from './handler.js';
import { applyGuardrail } from './runtime/apply-guardrail.js';
import { converse } from './runtime/converse.js';
import { converseStream } from './runtime/converse-stream.js';
import { countTokens } from './runtime/count-tokens.js';
import { invokeModel, invokeModelWithResponseStream } from './runtime/invoke-model.js';

export { openAIRoutes } from './openai/index.js';

/** Every implemented operation; the rest answer `NotImplementedException` (501). */
export const handlers: HandlerTable = {
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
};
