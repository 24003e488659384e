import { z } from 'zod';

/** The parts of OpenAI's Chat Completions response that Outcrop reads. Lazy: only what is used. */
const usageSchema = z
  .object({
    prompt_tokens: z.number().nullish(),
    completion_tokens: z.number().nullish(),
    prompt_tokens_details: z.object({ cached_tokens: z.number().nullish() }).nullish(),
  })
  .nullish();

/**
 * Message content: a string, or (Mistral) a list of chunks where `thinking` chunks carry reasoning.
 */
const contentSchema = z
  .union([
    z.string(),
    z.array(
      z.object({
        type: z.string(),
        text: z.string().nullish(),
        thinking: z.array(z.object({ text: z.string().nullish() })).nullish(),
      }),
    ),
  ])
  .nullish();

/** The text and the reasoning of a message's content, in whichever form it came. */
export function splitMessageContent(content: z.infer<typeof contentSchema>): { text: string; reasoning: string } {
  if (typeof content === 'string') return { text: content, reasoning: '' };
  let text = '';
  let reasoning = '';
  for (const chunk of content ?? []) {
    if (chunk.type === 'text') text += chunk.text ?? '';
    else if (chunk.type === 'thinking') reasoning += (chunk.thinking ?? []).map((item) => item.text ?? '').join('');
  }
  return { text, reasoning };
}

const toolCallSchema = z.object({
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }),
});

export const chatCompletionSchema = z.object({
  id: z.string().nullish(),
  choices: z
    .array(
      z.object({
        message: z.object({
          content: contentSchema,
          reasoning_content: z.string().nullish(),
          tool_calls: z.array(toolCallSchema).nullish(),
        }),
        finish_reason: z.string().nullish(),
        stop_reason: z.union([z.string(), z.number()]).nullish(),
      }),
    )
    .min(1),
  usage: usageSchema,
});

export const chatCompletionChunkSchema = z.object({
  choices: z
    .array(
      z.object({
        delta: z
          .object({
            content: contentSchema,
            reasoning_content: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number().nullish(),
                  id: z.string().nullish(),
                  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
        stop_reason: z.union([z.string(), z.number()]).nullish(),
      }),
    )
    .nullish(),
  usage: usageSchema,
  error: z.object({ message: z.string().nullish(), code: z.union([z.string(), z.number()]).nullish() }).nullish(),
});

export const errorBodySchema = z.object({
  error: z.union([z.object({ message: z.string().nullish(), type: z.string().nullish(), code: z.unknown() }), z.string()]).nullish(),
  message: z.string().nullish(),
});

export type ChatCompletion = z.infer<typeof chatCompletionSchema>;
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;

/** OpenAI's embeddings response (`POST /v1/embeddings`, `encoding_format: float`). */
export const embeddingResponseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative().nullish(), embedding: z.array(z.number()) })),
  usage: z.object({ prompt_tokens: z.number().nullish() }).nullish(),
});

export type EmbeddingResponse = z.infer<typeof embeddingResponseSchema>;
