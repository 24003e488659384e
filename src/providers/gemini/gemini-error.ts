import { OutcropError } from '../../core/errors.js';
import { bodyExcerpt, mapHttpStatus } from '../shared/map-http-status.js';
import { errorBodySchema, type GeminiErrorBody } from './gemini-api.js';

type GeminiError = NonNullable<GeminiErrorBody['error']>;

/**
 * Maps a Gemini API error onto Bedrock's errors as every hosted provider maps them: 429
 * `RESOURCE_EXHAUSTED` is `ThrottlingException` carrying `RetryInfo.retryDelay` (or `retry-after`),
 * 400 `INVALID_ARGUMENT` `ValidationException` (but an invalid API key, which Google also answers
 * with 400, a `ModelErrorException` about credentials), 503 `ServiceUnavailableException`, 504
 * `ModelTimeoutException`.
 */
export function mapGeminiError(statusCode: number, bodyText: string, headers: Record<string, string | string[] | undefined>): OutcropError {
  const error = parseError(bodyText);
  const detail = error?.message ?? bodyExcerpt(bodyText);
  const reasons = new Set((error?.details ?? []).map((item) => item.reason));
  // Google answers an invalid key with 400 INVALID_ARGUMENT; it is a credentials problem, not the caller's input.
  const status = reasons.has('API_KEY_INVALID') || error?.status === 'UNAUTHENTICATED' ? 401 : statusCode;
  const mapped = mapHttpStatus({ statusCode: status, headers, detail }, { backend: 'Gemini', credentials: "the provider's apiKey (or GEMINI_API_KEY)" });
  const retryAfterSeconds = retryDelay(error);
  if (mapped.code === 'ThrottlingException' && retryAfterSeconds !== undefined) {
    return new OutcropError('ThrottlingException', mapped.message, { retryAfterSeconds });
  }
  return mapped;
}

/** An `error` object sent as a stream event. */
export function mapGeminiStreamError(body: unknown): OutcropError {
  const parsed = errorBodySchema().safeParse(body);
  const error = parsed.success ? parsed.data.error : undefined;
  if (error?.code && error.code >= 400) return mapGeminiError(error.code, JSON.stringify(body), {});
  return new OutcropError('ModelStreamErrorException', `Gemini failed mid-stream: ${error?.message ?? 'unknown error'}`);
}

function parseError(bodyText: string): GeminiError | undefined {
  try {
    const parsed = errorBodySchema().safeParse(JSON.parse(bodyText));
    return parsed.success ? (parsed.data.error ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

/** `RetryInfo.retryDelay` is a protobuf Duration in JSON: `"37s"`, `"1.5s"`. */
function retryDelay(error: GeminiError | undefined): number | undefined {
  const info = error?.details?.find((item) => item['@type']?.endsWith('google.rpc.RetryInfo'));
  const match = /^(\d+(?:\.\d+)?)s$/.exec(info?.retryDelay ?? '');
  return match ? Number(match[1]) : undefined;
}
