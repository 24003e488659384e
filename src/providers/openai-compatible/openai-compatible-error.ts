import { OutcropError } from '../../core/errors.js';
import { errorBodySchema } from './openai-compatible-api.js';

/**
 * Maps an OpenAI-compatible backend's HTTP error onto Bedrock's errors. Rate limits keep their
 * `Retry-After` hint; server faults become `ModelErrorException` with the original status.
 */
export function mapOpenAICompatibleError(statusCode: number, bodyText: string, headers: Record<string, string | string[] | undefined>): OutcropError {
  const detail = extractMessage(bodyText);
  const retryAfter = Number(headers['retry-after']);
  const retryAfterSeconds = Number.isFinite(retryAfter) ? retryAfter : undefined;
  if (statusCode === 429) {
    return new OutcropError('ThrottlingException', `The model backend is throttling requests: ${detail}`, {
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  if (statusCode === 408 || statusCode === 504) return new OutcropError('ModelTimeoutException', `The model backend timed out: ${detail}`);
  if (statusCode === 502 || statusCode === 503) {
    return new OutcropError('ServiceUnavailableException', `The model backend is unavailable: ${detail}`, {
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  if (statusCode === 400 || statusCode === 422) return new OutcropError('ValidationException', `The model returned the following errors: ${detail}`);
  if (statusCode === 404) return new OutcropError('ResourceNotFoundException', `The model backend does not know the model: ${detail}`);
  if (statusCode === 401 || statusCode === 403) {
    return new OutcropError('ModelErrorException', `The model backend rejected Outcrop's credentials (${statusCode}); check the provider's apiKey.`, {
      fields: { originalStatusCode: statusCode },
    });
  }
  return new OutcropError('ModelErrorException', `The model backend failed with status ${statusCode}: ${detail}`, {
    fields: { originalStatusCode: statusCode },
  });
}

function extractMessage(bodyText: string): string {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(bodyText));
    if (parsed.success) {
      const error = parsed.data.error;
      const message = typeof error === 'string' ? error : (error?.message ?? parsed.data.message);
      if (message) return message;
    }
  } catch {
    // not JSON
  }
  const text = bodyText.trim();
  return text.length > 500 ? `${text.slice(0, 500)}...` : text || '(empty body)';
}
