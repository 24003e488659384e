import { OutcropError } from '../core/errors.js';

export interface ErrorResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  code: string;
  message: string;
}

/**
 * The one place that turns an error into an AWS restJson1 error response. Unknown errors become
 * `InternalServerException` without leaking their text.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  const known = OutcropError.isInstance(error)
    ? error
    : new OutcropError('InternalServerException', 'An internal error occurred. Retry your request.', { cause: error });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amzn-errortype': known.code,
  };
  if (known.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(0, Math.ceil(known.retryAfterSeconds)));
  const message = known.message;
  return {
    statusCode: known.statusCode,
    headers,
    body: JSON.stringify({ __type: known.code, message, ...known.fields }),
    code: known.code,
    message,
  };
}

/** The event-stream member name of a modeled exception, e.g. `ThrottlingException` -> `throttlingException`. */
export function exceptionEventName(code: string): string {
  return code.charAt(0).toLowerCase() + code.slice(1);
}
