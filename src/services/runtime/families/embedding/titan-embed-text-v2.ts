import { z } from 'zod';
import { OutcropError } from '../../../../core/errors.js';
import { malformedBody } from '../malformed-body.js';
import { normalizeVector, toBitVector } from './convert-embedding.js';
import type { EmbeddingFamilyCodec, EmbeddingFamilyContext } from './embedding-family.js';
import { jsonArray, jsonBoolean, jsonEnum, jsonIntegerEnum, jsonString } from './json-schema-messages.js';

/** Titan Text Embeddings V2: `dimensions` is one of Titan's sizes; `embeddingTypes` float and/or binary. */
const titanV2RequestSchema = z
  .object({
    inputText: jsonString({ min: 1, max: 50_000 }),
    dimensions: jsonIntegerEnum([256, 512, 1024]).optional(),
    normalize: jsonBoolean().optional(),
    embeddingTypes: jsonArray(jsonEnum(['float', 'binary']), { min: 1 }).optional(),
  })
  .strict();

/**
 * A model gives vectors of its own size only: Outcrop does not shorten vectors (cutting and
 * renormalizing is only meaningful for models trained for it), so a requested size other than the
 * model's is a `ValidationException` rather than a silently different vector.
 */
function checkDimensions(requested: number | undefined, actual: number, context: EmbeddingFamilyContext): void {
  if (requested === undefined || actual === 0 || requested === actual) return;
  throw new OutcropError(
    'ValidationException',
    `The model ${context.modelId} produces ${actual}-dimension embeddings and cannot produce ${requested}; omit 'dimensions' or set it to ${actual}.`,
  );
}

/**
 * Titan Text Embeddings V2 (`amazon.titan-embed-text-v2:0`): `{"inputText", "dimensions",
 * "normalize", "embeddingTypes"}` in, `{"embedding", "embeddingsByType", "inputTextTokenCount"}` out.
 * Without `dimensions` the vector has the model's native size (Titan's own default is 1024).
 */
export const titanEmbedTextV2: EmbeddingFamilyCodec = {
  family: 'amazon-titan-embed-v2',
  parseRequest(body, context) {
    const parsed = titanV2RequestSchema.safeParse(body);
    if (!parsed.success) throw malformedBody(parsed.error);
    const request = parsed.data;
    checkDimensions(request.dimensions, context.model.dimensions, context);
    const types = new Set(request.embeddingTypes ?? ['float']);
    return {
      options: { values: [request.inputText], ...(context.signal ? { abortSignal: context.signal } : {}) },
      toResponse(result) {
        const raw = result.embeddings[0] ?? [];
        checkDimensions(request.dimensions, raw.length, context);
        const embedding = request.normalize === false ? raw : normalizeVector(raw);
        const embeddingsByType: Record<string, number[]> = {};
        if (types.has('binary')) embeddingsByType.binary = toBitVector(embedding);
        if (types.has('float')) embeddingsByType.float = embedding;
        return { embedding, embeddingsByType, inputTextTokenCount: result.usage.inputTokens };
      },
    };
  },
};
