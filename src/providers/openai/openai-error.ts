import type { OutcropError } from '../../core/errors.js';
import { bodyExcerpt, mapHttpStatus } from '../shared/map-http-status.js';
import { openAIErrorSchema } from './openai-api.js';

/**
 * Maps an OpenAI HTTP error (Chat Completions, Responses, embeddings) onto Bedrock's errors. A 401
 * names where the key comes from, never the key.
 */
export function mapOpenAIError(statusCode: number, bodyText: string, headers: Record<string, string | string[] | undefined>): OutcropError {
  return mapHttpStatus(
    { statusCode, headers, detail: extractMessage(bodyText) },
    { backend: 'OpenAI', credentials: "the provider's apiKey (default: the OPENAI_API_KEY environment variable)" },
  );
}

function extractMessage(bodyText: string): string {
  try {
    const parsed = openAIErrorSchema().safeParse(JSON.parse(bodyText));
    if (parsed.success && parsed.data.error?.message) return parsed.data.error.message;
  } catch {
    // not JSON
  }
  return bodyExcerpt(bodyText);
}
