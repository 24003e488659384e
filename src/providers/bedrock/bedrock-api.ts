import { z } from 'zod';
import { lazySchema } from '../shared/lazy-schema.js';

/** The parts of Bedrock Converse responses that Outcrop reads. Lazy: only what is used, built on first use. */
const usageSchema = () =>
  z
    .object({
      inputTokens: z.number().nullish(),
      outputTokens: z.number().nullish(),
      cacheReadInputTokens: z.number().nullish(),
      cacheWriteInputTokens: z.number().nullish(),
    })
    .nullish();

/** `POST /model/{modelId}/converse`. */
export const converseResponseSchema = lazySchema(() =>
  z.object({
    output: z.object({
      message: z
        .object({
          content: z.array(
            z.object({
              text: z.string().nullish(),
              toolUse: z.object({ toolUseId: z.string(), name: z.string(), input: z.unknown().optional() }).nullish(),
              reasoningContent: z.object({ reasoningText: z.object({ text: z.string(), signature: z.string().nullish() }).nullish() }).nullish(),
            }),
          ),
        })
        .nullish(),
    }),
    stopReason: z.string().nullish(),
    usage: usageSchema(),
  }),
);

/** The payload of one ConverseStream event; which members are present depends on `:event-type`. */
export const converseStreamEventSchema = lazySchema(() =>
  z.object({
    contentBlockIndex: z.number().nullish(),
    start: z.object({ toolUse: z.object({ toolUseId: z.string(), name: z.string() }).nullish() }).nullish(),
    delta: z
      .object({
        text: z.string().nullish(),
        toolUse: z.object({ input: z.string().nullish() }).nullish(),
        reasoningContent: z.object({ text: z.string().nullish() }).nullish(),
      })
      .nullish(),
    stopReason: z.string().nullish(),
    usage: usageSchema(),
    message: z.string().nullish(),
  }),
);

/** `POST /model/{modelId}/count-tokens`. */
export const countTokensResponseSchema = lazySchema(() => z.object({ inputTokens: z.number() }));

/** An AWS restJson1 error body (`message`, sometimes `Message`, and modeled members). */
export const errorBodySchema = lazySchema(() =>
  z.object({
    __type: z.string().nullish(),
    message: z.string().nullish(),
    Message: z.string().nullish(),
    originalStatusCode: z.number().nullish(),
    resourceName: z.string().nullish(),
  }),
);

export type BedrockUsage = z.infer<ReturnType<typeof usageSchema>>;
