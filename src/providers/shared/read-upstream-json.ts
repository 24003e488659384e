import type { z } from 'zod';
import { OutcropError } from '../../core/errors.js';
import type { UpstreamResponse } from './post-json.js';

/**
 * Reads a successful upstream response as JSON and checks it against the provider's schema. A body
 * that stops arriving is `ModelTimeoutException`; one that is not JSON, or not the expected shape,
 * is `ModelErrorException`.
 *
 * @example
 * const { value, raw } = await readUpstreamJson(response, rerankResponseSchema, 'Cohere');
 */
export async function readUpstreamJson<T extends z.ZodType>(response: UpstreamResponse, schema: T, backend: string): Promise<{ value: z.infer<T>; raw: unknown }> {
  const text = await response.text().catch((error: unknown) => {
    throw new OutcropError('ModelTimeoutException', `${backend} stopped sending its response.`, { cause: error });
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new OutcropError('ModelErrorException', `${backend} returned a response that is not JSON.`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new OutcropError('ModelErrorException', `${backend} returned an unexpected response: ${parsed.error.issues[0]?.message}`);
  return { value: parsed.data, raw };
}
