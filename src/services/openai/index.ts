import { createChatCompletion } from './chat-completions.js';
import { createEmbeddings } from './embeddings.js';
import { listModels, retrieveModel } from './models.js';
import type { OpenAIRouteTable } from './openai-handler.js';

/** The OpenAI-compatible front door (`/v1/...`): every implemented route. */
export const openAIRoutes: OpenAIRouteTable = {
  'POST /v1/chat/completions': createChatCompletion,
  'POST /v1/embeddings': createEmbeddings,
  'GET /v1/models': listModels,
  'GET /v1/models/{model}': retrieveModel,
};
