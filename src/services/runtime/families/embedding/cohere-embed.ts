import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { OutcropError } from '../../../../core/errors.js';
import type { EmbeddingPurpose } from '../../../../core/inference/embedding-model.js';
import { malformedBody } from '../malformed-body.js';
import { toInt8, toPackedBits, toSignedPackedBits, toUint8 } from './convert-embedding.js';
import type { EmbeddingFamilyCodec } from './embedding-family.js';
import { jsonArray, jsonEnum, jsonString } from './json-schema-messages.js';

const embeddingTypes = ['float', 'int8', 'uint8', 'binary', 'ubinary'] as const;
type EmbeddingType = (typeof embeddingTypes)[number];

/** Cohere Embed v3 on Bedrock: up to 96 texts of up to 2,048 characters. */
const cohereEmbedRequestSchema = z
  .object({
    texts: jsonArray(jsonString({ max: 2048 }), { max: 96 }),
    input_type: jsonEnum(['search_document', 'search_query', 'classification', 'clustering', 'image']),
    truncate: jsonEnum(['NONE', 'START', 'END']).optional(),
    embedding_types: jsonArray(jsonEnum(embeddingTypes), { min: 1 }).optional(),
    images: jsonArray(jsonString()).optional(),
  })
  .strict();

const purposes: Record<string, EmbeddingPurpose> = {
  search_document: 'document',
  search_query: 'query',
  classification: 'classification',
  clustering: 'clustering',
};

const converters: Record<EmbeddingType, (vector: number[]) => number[]> = {
  float: (vector) => vector,
  int8: toInt8,
  uint8: toUint8,
  binary: toSignedPackedBits,
  ubinary: toPackedBits,
};

/**
 * Cohere Embed (`cohere.embed-english-v3`, `cohere.embed-multilingual-v3`): `{"texts",
 * "input_type", "truncate", "embedding_types"}` in; out `{"embeddings": [[...]], "response_type":
 * "embeddings_floats"}`, or with `embedding_types` `{"embeddings": {"float": [[...]], "int8": ...},
 * "response_type": "embeddings_by_type"}`, with `id` and the `texts`. `truncate` is accepted; texts
 * are already bounded to 2,048 characters and the built-in model takes any length. Image input is
 * not supported.
 */
export const cohereEmbed: EmbeddingFamilyCodec = {
  family: 'cohere-embed',
  parseRequest(body, context) {
    const parsed = cohereEmbedRequestSchema.safeParse(body);
    if (!parsed.success) throw malformedBody(parsed.error);
    const request = parsed.data;
    if (request.images?.length || request.input_type === 'image') {
      throw new OutcropError('ValidationException', `The model ${context.modelId} does not support image input; send texts.`);
    }
    const purpose = purposes[request.input_type];
    return {
      options: {
        values: request.texts,
        ...(purpose ? { purpose } : {}),
        ...(context.signal ? { abortSignal: context.signal } : {}),
      },
      toResponse(result) {
        const common = { id: randomUUID(), texts: request.texts };
        if (!request.embedding_types) return { embeddings: result.embeddings, ...common, response_type: 'embeddings_floats' };
        const byType: Partial<Record<EmbeddingType, number[][]>> = {};
        for (const type of new Set(request.embedding_types)) byType[type] = result.embeddings.map(converters[type]);
        return { embeddings: byType, ...common, response_type: 'embeddings_by_type' };
      },
    };
  },
};
