import type { OutcropError } from '../../core/errors.js';
import { bodyExcerpt, mapHttpStatus } from '../shared/map-http-status.js';
import { mistralErrorSchema } from './mistral-api.js';

/** Maps a Mistral HTTP error (chat or embeddings) onto Bedrock's errors, with its validation details. */
export function mapMistralError(statusCode: number, bodyText: string, headers: Record<string, string | string[] | undefined>): OutcropError {
  return mapHttpStatus(
    { statusCode, headers, detail: extractMessage(bodyText) },
    { backend: 'Mistral', credentials: "the provider's apiKey (default: the MISTRAL_API_KEY environment variable)" },
  );
}

function extractMessage(bodyText: string): string {
  try {
    const parsed = mistralErrorSchema().safeParse(JSON.parse(bodyText));
    if (parsed.success) {
      const { message, detail } = parsed.data;
      if (typeof message === 'string') return message;
      if (typeof message?.detail === 'string') return message.detail;
      if (Array.isArray(message?.detail)) return message.detail.map((item) => `${(item.loc ?? []).join('.')}: ${item.msg ?? ''}`).join('; ');
      if (detail) return detail;
    }
  } catch {
    // not JSON
  }
  return bodyExcerpt(bodyText);
}
