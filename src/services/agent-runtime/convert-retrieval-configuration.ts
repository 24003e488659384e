import { OutcropError } from '../../core/errors.js';
import type { RetrievalFilter } from '../../core/knowledge/index/retrieval-filter.js';
import type { RerankingMetadataSelection, RetrievalReranking } from '../../core/knowledge/retrieval/rerank-retrieved.js';
import type { RetrieveChunksOptions } from '../../core/knowledge/retrieval/retrieve-chunks.js';
import type { KnowledgeBaseRetrievalConfiguration, VectorSearchRerankingConfiguration } from '../../protocol/generated/bedrock-agent-runtime-types.js';
import type { HandlerContext } from '../handler.js';

/**
 * Turns Bedrock's `retrievalConfiguration` into retrieval options: `numberOfResults`,
 * `overrideSearchType`, `filter`, and reranking with a catalog reranking model. Settings Outcrop
 * does not run are refused rather than ignored.
 */
export function convertRetrievalConfiguration(
  configuration: KnowledgeBaseRetrievalConfiguration | undefined,
  context: HandlerContext,
): Pick<RetrieveChunksOptions, 'numberOfResults' | 'searchType' | 'filter' | 'reranking'> {
  if (configuration?.managedSearchConfiguration) {
    throw new OutcropError('ValidationException', 'managedSearchConfiguration applies to managed knowledge bases, which this server does not have; use vectorSearchConfiguration.');
  }
  const search = configuration?.vectorSearchConfiguration;
  if (!search) return {};
  if (search.implicitFilterConfiguration) {
    throw new OutcropError('ValidationException', 'implicitFilterConfiguration is not supported by this server; pass an explicit filter in vectorSearchConfiguration.filter.');
  }
  return {
    ...(search.numberOfResults === undefined ? {} : { numberOfResults: search.numberOfResults }),
    ...(search.overrideSearchType ? { searchType: search.overrideSearchType } : {}),
    ...(search.filter === undefined ? {} : { filter: search.filter as unknown as RetrievalFilter }),
    ...(search.rerankingConfiguration ? { reranking: convertReranking(search.rerankingConfiguration, context) } : {}),
  };
}

function convertReranking(configuration: VectorSearchRerankingConfiguration, context: HandlerContext): RetrievalReranking {
  const bedrock = configuration.bedrockRerankingConfiguration;
  if (configuration.type !== 'BEDROCK_RERANKING_MODEL' || !bedrock) {
    throw new OutcropError('ValidationException', 'rerankingConfiguration of type BEDROCK_RERANKING_MODEL requires bedrockRerankingConfiguration.');
  }
  if (bedrock.modelConfiguration.additionalModelRequestFields && Object.keys(bedrock.modelConfiguration.additionalModelRequestFields).length > 0) {
    throw new OutcropError('ValidationException', 'additionalModelRequestFields are not supported for reranking models on this server.');
  }
  const model = context.deps.catalog.resolveReranking(bedrock.modelConfiguration.modelArn).model;
  const metadata = bedrock.metadataConfiguration ? metadataSelection(bedrock.metadataConfiguration) : undefined;
  return {
    model,
    ...(bedrock.numberOfRerankedResults === undefined ? {} : { numberOfRerankedResults: bedrock.numberOfRerankedResults }),
    ...(metadata ? { metadata } : {}),
  };
}

function metadataSelection(configuration: NonNullable<NonNullable<VectorSearchRerankingConfiguration['bedrockRerankingConfiguration']>['metadataConfiguration']>): RerankingMetadataSelection {
  if (configuration.selectionMode === 'ALL') return { mode: 'ALL' };
  const selective = configuration.selectiveModeConfiguration;
  if (!selective) throw new OutcropError('ValidationException', 'metadataConfiguration with selectionMode SELECTIVE requires selectiveModeConfiguration.');
  if ('fieldsToInclude' in selective) return { mode: 'SELECTIVE', include: selective.fieldsToInclude.map((field) => field.fieldName) };
  return { mode: 'SELECTIVE', exclude: selective.fieldsToExclude.map((field) => field.fieldName) };
}
