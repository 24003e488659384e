import { OutcropError } from '../../core/errors.js';
import { externalSourceSearch } from '../../core/knowledge/generation/external-source-passages.js';
import type { RetrieveAndGenerateOptions } from '../../core/knowledge/generation/retrieve-and-generate.js';
import type { InferenceSettings } from '../../core/knowledge/generation/search-result.js';
import { retrieveChunks } from '../../core/knowledge/retrieval/retrieve-chunks.js';
import type { GenerationConfiguration, InferenceConfig, RetrieveAndGenerateRequest } from '../../protocol/generated/bedrock-agent-runtime-types.js';
import type { HandlerContext } from '../handler.js';
import { answerGuard } from './answer-guard.js';
import { convertRetrievalConfiguration } from './convert-retrieval-configuration.js';
import { knowledgeBaseIdOf, knowledgeBasesOf, sessionsOf } from './knowledge-access.js';

/**
 * Turns a RetrieveAndGenerate(Stream) request into the core's options: the generation model from
 * the catalog (foundation-model ARN, inference-profile ARN or catalog id), the search (the knowledge
 * base's retriever, or the inline document of an external source), the prompt template, inference
 * settings, follow-up rewriting and guardrail checks.
 */
export async function convertRetrieveAndGenerate(
  input: RetrieveAndGenerateRequest,
  context: HandlerContext,
  operation: string,
): Promise<{ options: RetrieveAndGenerateOptions; streaming: boolean }> {
  const configuration = input.retrieveAndGenerateConfiguration;
  if (!configuration) throw new OutcropError('ValidationException', 'retrieveAndGenerateConfiguration is required.');
  if (input.sessionConfiguration) {
    throw new OutcropError('ValidationException', 'sessionConfiguration (a KMS key for session data) is not supported by this server; sessions are kept in memory.');
  }
  const base = { question: input.input.text, sessions: sessionsOf(context), abortSignal: context.signal, ...(input.sessionId ? { sessionId: input.sessionId } : {}) };
  if (configuration.type === 'KNOWLEDGE_BASE') {
    const kb = configuration.knowledgeBaseConfiguration;
    if (!kb) throw new OutcropError('ValidationException', 'knowledgeBaseConfiguration is required when the type is KNOWLEDGE_BASE.');
    const knowledgeBaseId = knowledgeBaseIdOf(kb.knowledgeBaseId);
    const lookup = knowledgeBasesOf(context, knowledgeBaseId);
    await lookup.get(knowledgeBaseId);
    const resolved = context.deps.catalog.resolve(kb.modelArn);
    const retrieval = convertRetrievalConfiguration(kb.retrievalConfiguration, context);
    const orchestration = kb.orchestrationConfiguration;
    if (orchestration?.queryTransformationConfiguration) {
      throw new OutcropError('ValidationException', 'queryTransformationConfiguration (QUERY_DECOMPOSITION) is not supported by this server.');
    }
    const orchestrationInference = orchestration ? inferenceSettings(orchestration.inferenceConfig, orchestration.additionalModelRequestFields) : undefined;
    return {
      streaming: resolved.entry.streaming,
      options: {
        ...base,
        ...generation(kb.generationConfiguration, context, operation),
        model: resolved.model,
        retrieve: (query) => retrieveChunks(lookup, { knowledgeBaseId, query, ...retrieval, abortSignal: context.signal }),
        ...(orchestration
          ? {
              orchestration: {
                ...(orchestration.promptTemplate?.textPromptTemplate ? { template: orchestration.promptTemplate.textPromptTemplate } : {}),
                ...(orchestrationInference ? { inference: orchestrationInference } : {}),
              },
            }
          : {}),
      },
    };
  }
  const external = configuration.externalSourcesConfiguration;
  if (!external) throw new OutcropError('ValidationException', 'externalSourcesConfiguration is required when the type is EXTERNAL_SOURCES.');
  const resolved = context.deps.catalog.resolve(external.modelArn);
  const source = external.sources[0];
  if (!source) throw new OutcropError('ValidationException', 'externalSourcesConfiguration.sources must hold one source.');
  if (source.sourceType === 'S3') {
    throw new OutcropError('ValidationException', 'External sources of type S3 are not supported by this server: no S3 endpoint is configured for RetrieveAndGenerate. Pass the document as BYTE_CONTENT.');
  }
  const document = source.byteContent;
  if (!document) throw new OutcropError('ValidationException', 'An external source of type BYTE_CONTENT requires byteContent.');
  const embeddingModel = builtinEmbedding(context);
  const search = await externalSourceSearch(
    { identifier: document.identifier, contentType: document.contentType, bytes: document.data },
    { ...(embeddingModel ? { embeddingModel } : {}), abortSignal: context.signal },
  );
  return { streaming: resolved.entry.streaming, options: { ...base, ...generation(external.generationConfiguration, context, operation), model: resolved.model, retrieve: search } };
}

function generation(configuration: GenerationConfiguration | undefined, context: HandlerContext, operation: string): Partial<RetrieveAndGenerateOptions> {
  if (!configuration) return {};
  const inference = inferenceSettings(configuration.inferenceConfig, configuration.additionalModelRequestFields);
  return {
    ...(configuration.promptTemplate?.textPromptTemplate ? { promptTemplate: configuration.promptTemplate.textPromptTemplate } : {}),
    ...(inference ? { inference } : {}),
    ...(configuration.guardrailConfiguration ? { guard: answerGuard(configuration.guardrailConfiguration, context, operation) } : {}),
  };
}

function inferenceSettings(config: InferenceConfig | undefined, additional: Record<string, unknown> | undefined): InferenceSettings | undefined {
  const text = config?.textInferenceConfig;
  if (!text && !additional) return undefined;
  return {
    ...(text?.maxTokens === undefined ? {} : { maxOutputTokens: text.maxTokens }),
    ...(text?.temperature === undefined ? {} : { temperature: text.temperature }),
    ...(text?.topP === undefined ? {} : { topP: text.topP }),
    ...(text?.stopSequences?.length ? { stopSequences: text.stopSequences } : {}),
    ...(additional && Object.keys(additional).length > 0 ? { extraBody: additional } : {}),
  };
}

/** The built-in embedding model, used to pick passages of large external documents (none: shared words). */
function builtinEmbedding(context: HandlerContext) {
  const id = 'amazon.titan-embed-text-v2:0';
  return context.deps.catalog.find(id)?.entry.kind === 'embedding' ? context.deps.catalog.resolveEmbedding(id).model : undefined;
}
