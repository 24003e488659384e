import { OutcropError } from '../../core/errors.js';

/**
 * Maps a failure to load a GGUF file or create its context onto Bedrock's errors: too little memory
 * is `ModelNotReadyException` (retryable: memory may free up), anything else (a corrupt file, an
 * architecture this llama.cpp build does not know) is `ModelErrorException`.
 */
export function mapLlamaCppLoadError(error: unknown, path: string): OutcropError {
  if (OutcropError.isInstance(error)) return error;
  const message = (error as Error)?.message ?? String(error);
  if ((error as Error)?.name === 'InsufficientMemoryError' || /out of memory|insufficient memory|failed to allocate/i.test(message)) {
    return new OutcropError('ModelNotReadyException', `There is not enough memory to load the model ${path} now: ${message}`, { cause: error });
  }
  return new OutcropError('ModelErrorException', `llama.cpp could not load the model ${path}: ${message}`, { cause: error });
}

/**
 * Maps a failure during generation. A client that left is reported with the signal's own reason; a
 * model unloaded under a request (provider shutdown) is `ServiceUnavailableException`.
 */
export function mapLlamaCppGenerationError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (OutcropError.isInstance(error)) return error;
  if (signal?.aborted) return signal.reason ?? error;
  if ((error as Error)?.name === 'DisposedError') {
    return new OutcropError('ServiceUnavailableException', 'The model was unloaded while it was generating (the server is shutting down).', { cause: error });
  }
  return new OutcropError('ModelErrorException', `llama.cpp failed while generating: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
