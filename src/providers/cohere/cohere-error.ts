import type { OutcropError } from '../../core/errors.js';
import { bodyExcerpt, mapHttpStatus } from '../shared/map-http-status.js';
import { cohereErrorSchema } from './cohere-api.js';

/**
 * Maps a Cohere HTTP error onto Bedrock's errors. Cohere answers an invalid key with 498 as well as
 * 401; both name where the key comes from, never the key.
 */
export function mapCohereError(statusCode: number, bodyText: string, headers: Record<string, string | string[] | undefined>): OutcropError {
  return mapHttpStatus(
    { statusCode: statusCode === 498 ? 401 : statusCode, headers, detail: extractMessage(bodyText) },
    { backend: 'Cohere', credentials: "the provider's apiKey (default: the CO_API_KEY environment variable)" },
  );
}

function extractMessage(bodyText: string): string {
  try {
    const parsed = cohereErrorSchema().safeParse(JSON.parse(bodyText));
    if (parsed.success && parsed.data.message) return parsed.data.message;
  } catch {
    // not JSON
  }
  return bodyExcerpt(bodyText);
}
