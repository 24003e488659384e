import { OutcropError } from '../../core/errors.js';
import { upstreamFailure } from './post-json.js';

/**
 * A streamed upstream body that broke off (reset, idle timeout, a malformed frame): a timeout stays
 * `ModelTimeoutException`, anything else is `ModelStreamErrorException`.
 */
export function streamFailure(error: unknown): OutcropError {
  if (OutcropError.isInstance(error)) return error;
  const mapped = upstreamFailure(error, 'http://upstream');
  if (OutcropError.isInstance(mapped) && mapped.code === 'ModelTimeoutException') return mapped;
  return new OutcropError('ModelStreamErrorException', `The model stream broke off: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
