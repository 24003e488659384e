import type { OutcropError } from '../../core/errors.js';
import { bodyExcerpt, mapHttpStatus } from '../shared/map-http-status.js';
import { errorBodySchema } from './ollama-api.js';

/**
 * Maps an Ollama HTTP error onto Bedrock's errors as every hosted provider maps them: 404 (a model
 * not pulled) is `ResourceNotFoundException`, 400 `ValidationException`, 429 `ThrottlingException`
 * with its `retry-after`, 502/503 `ServiceUnavailableException`, 401/403 (ollama.com, or a proxy)
 * a `ModelErrorException` about credentials, other faults `ModelErrorException`.
 */
export function mapOllamaError(statusCode: number, bodyText: string, headers: Record<string, string | string[] | undefined>): OutcropError {
  return mapHttpStatus({ statusCode, headers, detail: extractMessage(bodyText) }, { backend: 'Ollama', credentials: "the provider's apiKey (or OLLAMA_API_KEY)" });
}

function extractMessage(bodyText: string): string {
  try {
    const parsed = errorBodySchema().safeParse(JSON.parse(bodyText));
    if (parsed.success && parsed.data.error) return parsed.data.error;
  } catch {
    // not JSON
  }
  return bodyExcerpt(bodyText);
}
