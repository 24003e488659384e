import { OutcropError } from '../../core/errors.js';
import { retrieveChunks } from '../../core/knowledge/retrieval/retrieve-chunks.js';
import type { RetrieveRequest } from '../../protocol/generated/bedrock-agent-runtime-types.js';
import type { HandlerContext } from '../handler.js';
import { guardQuestion } from './answer-guard.js';
import { convertRetrievalConfiguration } from './convert-retrieval-configuration.js';
import { knowledgeBaseIdOf, knowledgeBasesOf } from './knowledge-access.js';
import { toRetrievalResult } from './to-retrieval-result.js';

/** Retrieve: the knowledge base's best chunks for the query, in Bedrock's `retrievalResults` shape. */
export async function retrieve(input: RetrieveRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const knowledgeBaseId = knowledgeBaseIdOf(input.knowledgeBaseId);
  if (input.nextToken !== undefined) throw new OutcropError('ValidationException', 'The nextToken is not valid: Retrieve returns all of its results in one response.');
  if (input.retrievalQuery.image || (input.retrievalQuery.type !== undefined && input.retrievalQuery.type !== 'TEXT')) {
    throw new OutcropError('ValidationException', 'Only text queries are supported by this server (retrievalQuery.type TEXT).');
  }
  const query = input.retrievalQuery.text ?? '';
  const lookup = knowledgeBasesOf(context, knowledgeBaseId);
  const options = convertRetrievalConfiguration(input.retrievalConfiguration, context);
  if (input.guardrailConfiguration) {
    const checked = await guardQuestion(input.guardrailConfiguration, query, context);
    if (checked.blocked) return { retrievalResults: [], guardrailAction: 'INTERVENED' };
  }
  const chunks = await retrieveChunks(lookup, { knowledgeBaseId, query, ...options, abortSignal: context.signal });
  return { retrievalResults: chunks.map(toRetrievalResult), ...(input.guardrailConfiguration ? { guardrailAction: 'NONE' } : {}) };
}
