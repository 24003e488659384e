import { type AwsErrorCode, errorStatus, OutcropError } from '../../core/errors.js';
import { bodyExcerpt, mapHttpStatus } from '../shared/map-http-status.js';
import { errorBodySchema } from './bedrock-api.js';

const credentialsContext = { backend: 'Amazon Bedrock', credentials: "the provider's accessKeyId/secretAccessKey (or the AWS_* environment variables)" };

/**
 * Errors that mean the operator's own AWS credentials were refused. Passed through as they are, a
 * client would think its credentials for Outcrop were wrong, so they become a `ModelErrorException`.
 */
const signingErrors = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'SignatureDoesNotMatch',
]);

/**
 * Maps a Bedrock HTTP error onto the same Bedrock error, one to one, by its `x-amzn-errortype`
 * (or the body's `__type`): message, modeled members (`originalStatusCode`, `resourceName`) and
 * `retry-after` are kept. Signing failures name the operator's credentials instead; an error
 * without a known type is mapped by its status.
 */
export function mapBedrockError(statusCode: number, bodyText: string, headers: Record<string, string | string[] | undefined>): OutcropError {
  const body = parseBody(bodyText);
  const code = errorCode(headers['x-amzn-errortype']) ?? errorCode(body?.__type ?? undefined);
  const detail = body?.message ?? body?.Message ?? bodyExcerpt(bodyText);
  if (code && signingErrors.has(code)) return mapHttpStatus({ statusCode: 403, headers, detail }, credentialsContext);
  if (code && isAwsErrorCode(code)) {
    const fields: Record<string, unknown> = {};
    if (typeof body?.originalStatusCode === 'number') fields.originalStatusCode = body.originalStatusCode;
    if (body?.resourceName) fields.resourceName = body.resourceName;
    const retryAfter = Number(headers['retry-after']);
    return new OutcropError(code, detail, {
      ...(Object.keys(fields).length ? { fields } : {}),
      ...(headers['retry-after'] !== undefined && Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
    });
  }
  return mapHttpStatus({ statusCode, headers, detail }, credentialsContext);
}

/** A modeled exception inside a ConverseStream (`:exception-type: throttlingException`) as the same error. */
export function mapBedrockStreamException(exceptionType: string, bodyText: string): OutcropError {
  const body = parseBody(bodyText);
  const code = exceptionType.charAt(0).toUpperCase() + exceptionType.slice(1);
  const detail = body?.message ?? body?.Message ?? bodyExcerpt(bodyText);
  if (isAwsErrorCode(code)) {
    const fields: Record<string, unknown> = {};
    if (typeof body?.originalStatusCode === 'number') fields.originalStatusCode = body.originalStatusCode;
    return new OutcropError(code, detail, Object.keys(fields).length ? { fields } : {});
  }
  return new OutcropError('ModelStreamErrorException', `Amazon Bedrock failed mid-stream (${exceptionType}): ${detail}`);
}

/** `ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/` or `com.amazon.coral#ThrottlingException` to `ThrottlingException`. */
function errorCode(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  return text.split(':')[0]?.split('#').at(-1) || undefined;
}

function isAwsErrorCode(code: string): code is AwsErrorCode {
  return Object.hasOwn(errorStatus, code);
}

function parseBody(bodyText: string) {
  try {
    const parsed = errorBodySchema().safeParse(JSON.parse(bodyText));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
