import { z } from 'zod';
import { lazySchema } from '../shared/lazy-schema.js';

/**
 * Mistral's error bodies: `{"message": "..."}`, `{"object": "error", "message": "...", "type": ...}`,
 * or for a 422 `{"message": {"detail": [{"loc": ["body", "top_k"], "msg": "Extra inputs are not permitted"}]}}`.
 * Chat and embedding responses are OpenAI's and use the openai-compatible base's schemas.
 */
export const mistralErrorSchema = lazySchema(() =>
  z.object({
    message: z
      .union([
        z.string(),
        z.object({ detail: z.union([z.string(), z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])).nullish(), msg: z.string().nullish() }))]).nullish() }),
      ])
      .nullish(),
    detail: z.string().nullish(),
  }),
);
