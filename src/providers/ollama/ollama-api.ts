import { z } from 'zod';
import { lazySchema } from '../shared/lazy-schema.js';

/** `POST /api/chat`: the whole response, and each NDJSON line of a stream (the last one has `done: true`). Lazy: only what is used. */
export const chatResponseSchema = lazySchema(() =>
  z.object({
    message: z
      .object({
        content: z.string().nullish(),
        thinking: z.string().nullish(),
        tool_calls: z.array(z.object({ function: z.object({ name: z.string(), arguments: z.unknown().optional() }) })).nullish(),
      })
      .nullish(),
    done: z.boolean().nullish(),
    done_reason: z.string().nullish(),
    prompt_eval_count: z.number().nullish(),
    eval_count: z.number().nullish(),
    error: z.string().nullish(),
  }),
);

/** `POST /api/embed`. */
export const embedResponseSchema = lazySchema(() =>
  z.object({
    embeddings: z.array(z.array(z.number())),
    prompt_eval_count: z.number().nullish(),
  }),
);

/** Ollama's error body: `{"error":"model \"x\" not found, try pulling it first"}`. */
export const errorBodySchema = lazySchema(() => z.object({ error: z.string().nullish() }));

export type ChatResponse = z.infer<ReturnType<typeof chatResponseSchema>>;
