import { z } from 'zod';
import { malformedBody } from '../malformed-body.js';
import type { EmbeddingFamilyCodec } from './embedding-family.js';
import { jsonString } from './json-schema-messages.js';

/** Titan Embeddings G1 - Text: `{inputText}` only. */
const titanV1RequestSchema = z.object({ inputText: jsonString({ min: 1, max: 50_000 }) }).strict();

/**
 * Titan Text Embeddings v1 (`amazon.titan-embed-text-v1`): `{"inputText"}` in,
 * `{"embedding", "inputTextTokenCount"}` out, at the model's native size.
 */
export const titanEmbedTextV1: EmbeddingFamilyCodec = {
  family: 'amazon-titan-embed-v1',
  parseRequest(body, context) {
    const parsed = titanV1RequestSchema.safeParse(body);
    if (!parsed.success) throw malformedBody(parsed.error);
    return {
      options: { values: [parsed.data.inputText], ...(context.signal ? { abortSignal: context.signal } : {}) },
      toResponse: (result) => ({ embedding: result.embeddings[0] ?? [], inputTextTokenCount: result.usage.inputTokens }),
    };
  },
};
