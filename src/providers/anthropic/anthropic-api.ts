import { z } from 'zod';
import { lazySchema } from '../shared/lazy-schema.js';

/** The parts of Anthropic's Messages API responses that Outcrop reads. Lazy: only what is used, built on first use. */
const usageSchema = () =>
  z
    .object({
      input_tokens: z.number().nullish(),
      output_tokens: z.number().nullish(),
      cache_read_input_tokens: z.number().nullish(),
      cache_creation_input_tokens: z.number().nullish(),
    })
    .nullish();

const contentBlockSchema = () =>
  z.object({
    type: z.string(),
    text: z.string().nullish(),
    thinking: z.string().nullish(),
    signature: z.string().nullish(),
    id: z.string().nullish(),
    name: z.string().nullish(),
    input: z.unknown().optional(),
  });

/** `POST /v1/messages` without streaming. */
export const messagesResponseSchema = lazySchema(() =>
  z.object({
    content: z.array(contentBlockSchema()),
    stop_reason: z.string().nullish(),
    usage: usageSchema(),
  }),
);

/** One `data:` payload of a streamed `POST /v1/messages`. */
export const messagesStreamEventSchema = lazySchema(() =>
  z.object({
    type: z.string(),
    index: z.number().nullish(),
    message: z.object({ usage: usageSchema() }).nullish(),
    content_block: contentBlockSchema().nullish(),
    delta: z
      .object({
        type: z.string().nullish(),
        text: z.string().nullish(),
        partial_json: z.string().nullish(),
        thinking: z.string().nullish(),
        stop_reason: z.string().nullish(),
      })
      .nullish(),
    usage: usageSchema(),
    error: z.object({ type: z.string().nullish(), message: z.string().nullish() }).nullish(),
  }),
);

/** `POST /v1/messages/count_tokens`. */
export const countTokensResponseSchema = lazySchema(() => z.object({ input_tokens: z.number() }));

/** Anthropic's error body: `{"type":"error","error":{"type":"rate_limit_error","message":"..."}}`. */
export const errorBodySchema = lazySchema(() => z.object({ error: z.object({ type: z.string().nullish(), message: z.string().nullish() }).nullish() }));

export type AnthropicUsage = z.infer<ReturnType<typeof usageSchema>>;
