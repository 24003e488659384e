import { OutcropError } from '../../core/errors.js';
import { bodyExcerpt, mapHttpStatus } from '../shared/map-http-status.js';
import { errorBodySchema } from './anthropic-api.js';

const context = { backend: 'Anthropic', credentials: "the provider's apiKey (or ANTHROPIC_API_KEY)" };

/**
 * Maps an Anthropic HTTP error onto Bedrock's errors: 529 (overloaded) is
 * `ServiceUnavailableException`; the rest as every hosted provider maps them (429
 * `ThrottlingException` with its `retry-after`, 400 `ValidationException`, 401/403 a
 * `ModelErrorException` about credentials, other faults `ModelErrorException`).
 */
export function mapAnthropicError(statusCode: number, bodyText: string, headers: Record<string, string | string[] | undefined>): OutcropError {
  const detail = extractMessage(bodyText);
  // 529: Anthropic is overloaded, a temporary unavailability.
  if (statusCode === 529) return mapHttpStatus({ statusCode: 503, headers, detail }, context);
  if (statusCode === 413) return new OutcropError('ValidationException', `The model returned the following errors: ${detail}`);
  return mapHttpStatus({ statusCode, headers, detail }, context);
}

/** An `error` event inside a stream (`overloaded_error`, `rate_limit_error`, `api_error`, ...). */
export function mapAnthropicStreamError(type: string | null | undefined, message: string | null | undefined): OutcropError {
  const detail = message ?? type ?? 'unknown error';
  switch (type) {
    case 'overloaded_error':
      return new OutcropError('ServiceUnavailableException', `Anthropic is overloaded: ${detail}`);
    case 'rate_limit_error':
      return new OutcropError('ThrottlingException', `Anthropic is throttling requests: ${detail}`);
    case 'invalid_request_error':
      return new OutcropError('ValidationException', `The model returned the following errors: ${detail}`);
    default:
      return new OutcropError('ModelStreamErrorException', `Anthropic failed mid-stream: ${detail}`);
  }
}

function extractMessage(bodyText: string): string {
  try {
    const parsed = errorBodySchema().safeParse(JSON.parse(bodyText));
    const message = parsed.success ? parsed.data.error?.message : undefined;
    if (message) return message;
  } catch {
    // not JSON
  }
  return bodyExcerpt(bodyText);
}
