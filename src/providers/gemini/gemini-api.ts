import { z } from 'zod';
import { lazySchema } from '../shared/lazy-schema.js';

/** The parts of Google's Gemini API responses that Outcrop reads. Lazy: only what is used, built on first use. */
const partSchema = () =>
  z.object({
    text: z.string().nullish(),
    thought: z.boolean().nullish(),
    thoughtSignature: z.string().nullish(),
    functionCall: z.object({ name: z.string(), args: z.record(z.string(), z.unknown()).nullish() }).nullish(),
  });

const usageMetadataSchema = () =>
  z
    .object({
      promptTokenCount: z.number().nullish(),
      candidatesTokenCount: z.number().nullish(),
      thoughtsTokenCount: z.number().nullish(),
      cachedContentTokenCount: z.number().nullish(),
    })
    .nullish();

/** `:generateContent`, and each event of `:streamGenerateContent?alt=sse`. */
export const generateContentResponseSchema = lazySchema(() =>
  z.object({
    candidates: z
      .array(
        z.object({
          content: z.object({ parts: z.array(partSchema()).nullish() }).nullish(),
          finishReason: z.string().nullish(),
        }),
      )
      .nullish(),
    promptFeedback: z.object({ blockReason: z.string().nullish() }).nullish(),
    usageMetadata: usageMetadataSchema(),
  }),
);

/** `:countTokens`. */
export const countTokensResponseSchema = lazySchema(() => z.object({ totalTokens: z.number().nullish() }));

/** `:batchEmbedContents`. */
export const batchEmbedContentsResponseSchema = lazySchema(() => z.object({ embeddings: z.array(z.object({ values: z.array(z.number()) })) }));

/** Google's error body: `{"error":{"code":429,"message":"...","status":"RESOURCE_EXHAUSTED","details":[...]}}`. */
export const errorBodySchema = lazySchema(() =>
  z.object({
    error: z
      .object({
        code: z.number().nullish(),
        message: z.string().nullish(),
        status: z.string().nullish(),
        details: z.array(z.object({ '@type': z.string().nullish(), retryDelay: z.string().nullish(), reason: z.string().nullish() })).nullish(),
      })
      .nullish(),
  }),
);

export type GenerateContentResponse = z.infer<ReturnType<typeof generateContentResponseSchema>>;
export type GeminiUsageMetadata = z.infer<ReturnType<typeof usageMetadataSchema>>;
export type GeminiErrorBody = z.infer<ReturnType<typeof errorBodySchema>>;
