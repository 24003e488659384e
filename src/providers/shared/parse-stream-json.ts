import type { z } from 'zod';
import { OutcropError } from '../../core/errors.js';

export type StreamJsonResult<T> = { ok: true; value: T } | { ok: false; error: OutcropError };

/**
 * Parses one streamed JSON unit (an SSE event's data, an NDJSON line, an event-stream payload)
 * against a provider's schema. Text that is not JSON, or JSON of the wrong shape, becomes a
 * `ModelStreamErrorException` naming the source, for the provider to emit as an `error` part.
 *
 * @example
 * const parsed = parseStreamJson(event.data, chunkSchema, 'Anthropic', 'stream event');
 * if (!parsed.ok) return fail(parsed.error);
 */
export function parseStreamJson<T>(text: string, schema: z.ZodType<T>, source: string, unit: string): StreamJsonResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: new OutcropError('ModelStreamErrorException', `${source} sent an unparsable ${unit}: ${text.slice(0, 200)}`) };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, error: new OutcropError('ModelStreamErrorException', `${source} sent a ${unit} of unexpected shape.`) };
  return { ok: true, value: parsed.data };
}
