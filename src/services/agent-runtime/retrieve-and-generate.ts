import { OutcropError } from '../../core/errors.js';
import type { AnswerStreamEvent } from '../../core/knowledge/generation/retrieve-and-generate.js';
import type { AnswerCitation } from '../../core/knowledge/generation/search-result.js';
import { retrieveAndGenerate as answer, streamRetrieveAndGenerate } from '../../core/knowledge/generation/retrieve-and-generate.js';
import type { RetrieveAndGenerateRequest, RetrieveAndGenerateStreamRequest } from '../../protocol/generated/bedrock-agent-runtime-types.js';
import type { HandlerContext } from '../handler.js';
import { convertRetrieveAndGenerate } from './convert-retrieve-and-generate.js';
import { toRetrievedReference } from './to-retrieval-result.js';

/** RetrieveAndGenerate: the answer, its citations and the session to continue. */
export async function retrieveAndGenerate(input: RetrieveAndGenerateRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const { options } = await convertRetrieveAndGenerate(input, context, 'RetrieveAndGenerate');
  const result = await answer(options);
  return {
    sessionId: result.sessionId,
    output: { text: result.text },
    citations: result.citations.map(toCitation),
    ...(result.guardrailAction ? { guardrailAction: result.guardrailAction } : {}),
  };
}

/** RetrieveAndGenerateStream: `output` events as the model writes, `citation` events, `guardrail` when guarded. */
export async function retrieveAndGenerateStream(input: RetrieveAndGenerateStreamRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const { options, streaming } = await convertRetrieveAndGenerate(input, context, 'RetrieveAndGenerateStream');
  if (!streaming) throw new OutcropError('ValidationException', 'The model does not support response streaming.');
  const { sessionId, events } = await streamRetrieveAndGenerate(options);
  return { sessionId, stream: toStreamEvents(events) };
}

async function* toStreamEvents(events: AsyncGenerator<AnswerStreamEvent>): AsyncGenerator<Record<string, unknown>> {
  for await (const event of events) {
    if (event.type === 'output') yield { output: { text: event.text } };
    else if (event.type === 'guardrail') yield { guardrail: { action: event.action } };
    else {
      const citation = toCitation(event.citation);
      yield { citation: { ...citation, citation } };
    }
  }
}

/** Bedrock's `Citation`: the answer span (end inclusive) and the references it rests on. */
function toCitation(citation: AnswerCitation): { generatedResponsePart: Record<string, unknown>; retrievedReferences: Record<string, unknown>[] } {
  return {
    generatedResponsePart: { textResponsePart: { text: citation.text, span: { start: citation.start, end: citation.end } } },
    retrievedReferences: citation.references.map(toRetrievedReference),
  };
}
