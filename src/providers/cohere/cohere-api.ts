import { z } from 'zod';
import { lazySchema } from '../shared/lazy-schema.js';

const tokensSchema = () => z.object({ input_tokens: z.number().nullish(), output_tokens: z.number().nullish() }).nullish();

/** `usage` of a chat response: what was billed and what the model actually read and wrote. */
const usageSchema = () => z.object({ billed_units: tokensSchema(), tokens: tokensSchema() }).nullish();

const toolCallSchema = () =>
  z.object({
    id: z.string().nullish(),
    function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
  });

/** A content item of an assistant message: `text`, or `thinking` from reasoning models. */
const contentSchema = () => z.object({ type: z.string().nullish(), text: z.string().nullish(), thinking: z.string().nullish() });

/** `POST /v2/chat` without streaming. */
export const cohereChatResponseSchema = lazySchema(() =>
  z.object({
    id: z.string().nullish(),
    finish_reason: z.string().nullish(),
    message: z.object({
      content: z.array(contentSchema()).nullish(),
      tool_plan: z.string().nullish(),
      tool_calls: z.array(toolCallSchema()).nullish(),
    }),
    usage: usageSchema(),
  }),
);

/**
 * One streamed chat event (`message-start`, `content-start`, `content-delta`, `content-end`,
 * `tool-plan-delta`, `tool-call-start`, `tool-call-delta`, `tool-call-end`, `citation-*`,
 * `message-end`). In the stream, `tool_calls` and `content` are single objects, not lists (but for
 * the empty lists of `message-start`).
 */
export const cohereChatEventSchema = lazySchema(() =>
  z.object({
    type: z.string(),
    index: z.number().nullish(),
    delta: z
      .object({
        message: z
          .object({
            // `message-start` carries empty lists here
            content: z.union([contentSchema(), z.array(z.unknown())]).nullish(),
            tool_plan: z.string().nullish(),
            tool_calls: z.union([toolCallSchema(), z.array(z.unknown())]).nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
        usage: usageSchema(),
        error: z.string().nullish(),
      })
      .nullish(),
  }),
);

/** `POST /v2/embed` with `embedding_types: ["float"]`. */
export const cohereEmbedResponseSchema = lazySchema(() =>
  z.object({
    embeddings: z.object({ float: z.array(z.array(z.number())) }),
    meta: z.object({ billed_units: z.object({ input_tokens: z.number().nullish() }).nullish() }).nullish(),
  }),
);

/** `POST /v2/rerank`. */
export const cohereRerankResponseSchema = lazySchema(() =>
  z.object({ results: z.array(z.object({ index: z.number().int().nonnegative(), relevance_score: z.number() })) }),
);

/** Cohere's error body: `{"id": "...", "message": "..."}`. */
export const cohereErrorSchema = lazySchema(() => z.object({ message: z.string().nullish() }));

export type CohereChatEvent = z.infer<ReturnType<typeof cohereChatEventSchema>>;
export type CohereUsage = z.infer<ReturnType<typeof cohereChatResponseSchema>>['usage'];
