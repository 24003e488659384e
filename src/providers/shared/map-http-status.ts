import { OutcropError } from '../../core/errors.js';

export interface HttpFailure {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  /** the backend's own error message, already extracted from its body */
  detail: string;
}

export interface HttpFailureContext {
  /** the backend as users know it, e.g. `Cohere` */
  backend: string;
  /** where its credentials come from, e.g. `the provider's apiKey or CO_API_KEY` */
  credentials: string;
}

/**
 * Maps a hosted backend's HTTP error status onto Bedrock's errors, the same way for every provider:
 * 429 is `ThrottlingException` keeping the `Retry-After` hint, 400/422 `ValidationException`,
 * 401/403 a `ModelErrorException` that names where the credentials come from (never their value),
 * 502/503 `ServiceUnavailableException`, 408/504 `ModelTimeoutException`, other faults
 * `ModelErrorException` with the original status.
 *
 * @example
 * throw mapHttpStatus({ statusCode: 429, headers, detail: 'Too many requests' }, { backend: 'Cohere', credentials: 'CO_API_KEY' });
 */
export function mapHttpStatus(failure: HttpFailure, context: HttpFailureContext): OutcropError {
  const { statusCode, detail } = failure;
  const { backend } = context;
  const retryAfterSeconds = retryAfter(failure.headers);
  const retry = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  if (statusCode === 429) return new OutcropError('ThrottlingException', `${backend} is throttling requests: ${detail}`, retry);
  if (statusCode === 400 || statusCode === 422) return new OutcropError('ValidationException', `The model returned the following errors: ${detail}`);
  if (statusCode === 401 || statusCode === 403) {
    return new OutcropError('ModelErrorException', `${backend} rejected Outcrop's credentials (${statusCode}); check ${context.credentials}.`, {
      fields: { originalStatusCode: statusCode },
    });
  }
  if (statusCode === 404) return new OutcropError('ResourceNotFoundException', `${backend} does not know the model: ${detail}`);
  if (statusCode === 408 || statusCode === 504) return new OutcropError('ModelTimeoutException', `${backend} timed out: ${detail}`);
  if (statusCode === 502 || statusCode === 503) return new OutcropError('ServiceUnavailableException', `${backend} is unavailable: ${detail}`, retry);
  return new OutcropError('ModelErrorException', `${backend} failed with status ${statusCode}: ${detail}`, { fields: { originalStatusCode: statusCode } });
}

/** `Retry-After` in seconds or as an HTTP date, or OpenAI's `retry-after-ms`. */
function retryAfter(headers: Record<string, string | string[] | undefined>): number | undefined {
  const milliseconds = Number(headers['retry-after-ms']);
  if (headers['retry-after-ms'] !== undefined && Number.isFinite(milliseconds)) return milliseconds / 1000;
  const value = headers['retry-after'];
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/** Short text for an error body that is not the backend's JSON. */
export function bodyExcerpt(bodyText: string): string {
  const text = bodyText.trim();
  return text.length > 500 ? `${text.slice(0, 500)}...` : text || '(empty body)';
}
