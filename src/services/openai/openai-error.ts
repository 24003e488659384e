import { type AwsErrorCode, OutcropError, errorStatus } from '../../core/errors.js';

/** OpenAI's error body: `{ "error": { "message", "type", "param", "code" } }`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface OpenAIErrorResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: OpenAIErrorBody;
}

interface Mapping {
  status: number;
  type: string;
  code: string | null;
}

const invalidRequest = (status: number, code: string | null = null): Mapping => ({ status, type: 'invalid_request_error', code });
const serverError = (status: number, code: string | null = null): Mapping => ({ status, type: 'server_error', code });
const unauthorized = invalidRequest(401, 'invalid_api_key');

/** Every error code Outcrop throws, as OpenAI's status, `type` and `code`. */
const mappings: Record<AwsErrorCode, Mapping> = {
  ValidationException: invalidRequest(400),
  SerializationException: invalidRequest(400),
  UnknownOperationException: invalidRequest(404, 'unknown_url'),
  ResourceNotFoundException: invalidRequest(404, 'not_found'),
  AccessDeniedException: invalidRequest(403, 'permission_denied'),
  UnrecognizedClientException: unauthorized,
  InvalidSignatureException: unauthorized,
  IncompleteSignatureException: unauthorized,
  MissingAuthenticationTokenException: unauthorized,
  ExpiredTokenException: unauthorized,
  ConflictException: invalidRequest(409, 'conflict'),
  TooManyTagsException: invalidRequest(400, 'too_many_tags'),
  ModelErrorException: serverError(500, 'model_error'),
  ModelStreamErrorException: serverError(500, 'model_error'),
  DependencyFailedException: serverError(500, 'model_error'),
  BadGatewayException: serverError(502),
  ModelNotReadyException: { status: 429, type: 'requests', code: 'rate_limit_exceeded' },
  ThrottlingException: { status: 429, type: 'requests', code: 'rate_limit_exceeded' },
  ServiceQuotaExceededException: { status: 429, type: 'requests', code: 'rate_limit_exceeded' },
  RequestEntityTooLargeException: invalidRequest(413, 'request_too_large'),
  ModelTimeoutException: serverError(504, 'timeout'),
  InternalServerException: serverError(500),
  NotImplementedException: invalidRequest(501, 'not_implemented'),
  ServiceUnavailableException: serverError(503, 'service_unavailable'),
};

/**
 * The one place that turns an error into the OpenAI surface's error response (the Bedrock surfaces
 * use `protocol/errors.ts`). An `OutcropError` may name the request field at fault and OpenAI's own
 * code in `fields.param` / `fields.code` (see {@link openAIRequestError}); unknown errors become a
 * 500 without their text.
 *
 * @example
 * toOpenAIErrorResponse(new OutcropError('ThrottlingException', 'slow down', { retryAfterSeconds: 7 }))
 * // { statusCode: 429, headers: { 'retry-after': '7', ... }, body: { error: { type: 'requests', code: 'rate_limit_exceeded', ... } } }
 */
export function toOpenAIErrorResponse(error: unknown): OpenAIErrorResponse {
  if (!OutcropError.isInstance(error)) {
    return {
      statusCode: 500,
      headers: { 'content-type': 'application/json' },
      body: { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } },
    };
  }
  const mapping = mappings[error.code] ?? serverError(500);
  // A status chosen where the error was thrown (413 for a large body) wins over the code's default.
  const overridden = error.statusCode !== errorStatus[error.code];
  const statusCode = overridden ? error.statusCode : mapping.status;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(0, Math.ceil(error.retryAfterSeconds)));
  const param = typeof error.fields?.param === 'string' ? error.fields.param : null;
  const code = typeof error.fields?.code === 'string' ? error.fields.code : mapping.code;
  return { statusCode, headers, body: { error: { message: error.message, type: mapping.type, param, code } } };
}

/**
 * A 400 in OpenAI's terms, naming the request field at fault (`messages[0].content`).
 *
 * @example
 * throw openAIRequestError("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
 */
export function openAIRequestError(message: string, param: string | null = null, code: string | null = null): OutcropError {
  const fields: Record<string, unknown> = {};
  if (param !== null) fields.param = param;
  if (code !== null) fields.code = code;
  return new OutcropError('ValidationException', message, { fields });
}

/** OpenAI's 404 for a model the catalog does not have. */
export function modelNotFound(model: string): OutcropError {
  return new OutcropError('ResourceNotFoundException', `The model '${model}' does not exist or you do not have access to it.`, {
    fields: { param: 'model', code: 'model_not_found' },
  });
}

/** Any failed authentication on this surface: 401 `invalid_api_key`, as OpenAI answers a wrong key. */
export function authenticationFailed(error: unknown): OutcropError {
  if (!OutcropError.isInstance(error)) return new OutcropError('UnrecognizedClientException', 'Authentication failed.', { cause: error });
  const message =
    error.code === 'UnrecognizedClientException' ? 'Incorrect API key provided. Send an Outcrop API key as a Bearer token, or sign the request with SigV4.' : error.message;
  return new OutcropError('UnrecognizedClientException', message, { cause: error });
}
