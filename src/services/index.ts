import { getFoundationModel, listFoundationModels } from './control/foundation-models.js';
import type { HandlerTable } from './handler.js';
import { converse } from './runtime/converse.js';
import { converseStream } from './runtime/converse-stream.js';
import { countTokens } from './runtime/count-tokens.js';
import { invokeModel, invokeModelWithResponseStream } from './runtime/invoke-model.js';

/** Every implemented operation; the rest answer `NotImplementedException` (501). */
export const handlers: HandlerTable = {
  'bedrock-runtime:Converse': converse,
  'bedrock-runtime:ConverseStream': converseStream,
  'bedrock-runtime:InvokeModel': invokeModel,
  'bedrock-runtime:InvokeModelWithResponseStream': invokeModelWithResponseStream,
  'bedrock-runtime:CountTokens': countTokens,
  'bedrock:ListFoundationModels': listFoundationModels,
  'bedrock:GetFoundationModel': getFoundationModel,
};
