import { OutcropError } from '../../errors.js';

const retryableCodes = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'ModelTimeoutException',
  'ModelNotReadyException',
  'InternalServerException',
  // Before anything was streamed, a broken stream is a broken connection.
  'ModelStreamErrorException',
]);

/**
 * Whether another deployment (or the same one, later) may succeed where this call failed:
 * throttling, an unavailable or unreachable backend, a timeout, or a backend fault (5xx). A
 * request the backend refused as invalid would fail everywhere, so it is not retried.
 */
export function isRetryableFailure(error: unknown): boolean {
  if (!OutcropError.isInstance(error)) return false;
  if (retryableCodes.has(error.code)) return true;
  if (error.code === 'ModelErrorException') {
    const status = Number(error.fields?.originalStatusCode);
    return Number.isFinite(status) && status >= 500;
  }
  return false;
}

/** The backend's `Retry-After`, in milliseconds, if the error carries one. */
export function retryAfterMs(error: unknown): number | undefined {
  if (!OutcropError.isInstance(error) || error.retryAfterSeconds === undefined) return undefined;
  return Math.max(0, error.retryAfterSeconds * 1000);
}
