import { OutcropError } from '../../core/errors.js';
import { type RerankSourceDocument, rerankSources } from '../../core/knowledge/retrieval/rerank-sources.js';
import type { RerankDocument, RerankRequest } from '../../protocol/generated/bedrock-agent-runtime-types.js';
import type { HandlerContext } from '../handler.js';

/** Rerank: the sources ordered by relevance to the query, through a catalog reranking model. */
export async function rerank(input: RerankRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  if (input.nextToken !== undefined) throw new OutcropError('ValidationException', 'The nextToken is not valid: Rerank returns all of its results in one response.');
  const query = input.queries[0];
  if (query?.type !== 'TEXT') throw new OutcropError('ValidationException', 'queries must hold one query of type TEXT.');
  const configuration = input.rerankingConfiguration;
  if (configuration.type !== 'BEDROCK_RERANKING_MODEL') throw new OutcropError('ValidationException', 'rerankingConfiguration.type must be BEDROCK_RERANKING_MODEL.');
  const bedrock = configuration.bedrockRerankingConfiguration;
  if (bedrock.modelConfiguration.additionalModelRequestFields && Object.keys(bedrock.modelConfiguration.additionalModelRequestFields).length > 0) {
    throw new OutcropError('ValidationException', 'additionalModelRequestFields are not supported for reranking models on this server.');
  }
  const documents = input.sources.map((source, index) => {
    if (source.type !== 'INLINE') throw new OutcropError('ValidationException', `sources[${index}].type must be INLINE.`);
    return toSourceDocument(source.inlineDocumentSource, index);
  });
  const model = context.deps.catalog.resolveReranking(bedrock.modelConfiguration.modelArn).model;
  const results = await rerankSources(model, query.textQuery.text ?? '', documents, {
    ...(bedrock.numberOfResults === undefined ? {} : { numberOfResults: bedrock.numberOfResults }),
    abortSignal: context.signal,
  });
  return { results: results.map((result) => ({ index: result.index, relevanceScore: result.relevanceScore, document: input.sources[result.index]?.inlineDocumentSource })) };
}

function toSourceDocument(document: RerankDocument, index: number): RerankSourceDocument {
  if (document.type === 'TEXT') {
    if (!document.textDocument?.text) throw new OutcropError('ValidationException', `sources[${index}].inlineDocumentSource.textDocument.text is required for a TEXT document.`);
    return { type: 'TEXT', text: document.textDocument.text };
  }
  if (document.jsonDocument === undefined) throw new OutcropError('ValidationException', `sources[${index}].inlineDocumentSource.jsonDocument is required for a JSON document.`);
  return { type: 'JSON', json: document.jsonDocument };
}
