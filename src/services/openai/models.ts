import type { CatalogModel } from '../../core/models/catalog.js';
import type { HandlerContext } from '../handler.js';
import { modelNotFound } from './openai-error.js';
import type { OpenAIRequest, OpenAIResponse } from './openai-handler.js';

/** When this process started, in Unix seconds: the `created` of every model, which the catalog does not record. */
function startedAt(): number {
  return Math.floor(Date.now() / 1000 - process.uptime());
}

function toModel(id: string, entry: CatalogModel): Record<string, unknown> {
  return { id, object: 'model', created: startedAt(), owned_by: entry.providerName };
}

/** `GET /v1/models`: every model in the catalog, by its ID. */
export async function listModels(_request: OpenAIRequest, context: HandlerContext): Promise<OpenAIResponse> {
  return { json: { object: 'list', data: context.deps.catalog.entries.map((entry) => toModel(entry.id, entry)) } };
}

/** `GET /v1/models/{model}`: a model by any ID the catalog resolves (ID, alias, ARN, inference profile). */
export async function retrieveModel(request: OpenAIRequest, context: HandlerContext): Promise<OpenAIResponse> {
  const id = request.params.model ?? '';
  const found = context.deps.catalog.find(id);
  if (!found) throw modelNotFound(id);
  return { json: toModel(id, found.entry) };
}
