import type { FinishReason, StreamPart, Usage } from '../../../core/inference/language-model.js';
import { OutcropError } from '../../../core/errors.js';
import type { FamilyContext } from './family.js';

/** The parts a family turns into chunks: every part but `error`, which is thrown instead. */
export type ContentPart = Exclude<StreamPart, { type: 'error' }>;

/** What Bedrock adds to the last chunk of every InvokeModelWithResponseStream body. */
export interface InvocationMetrics {
  inputTokenCount: number;
  outputTokenCount: number;
  invocationLatency: number;
  firstByteLatency: number;
}

/**
 * Reads a neutral stream until its `finish` part: `error` parts and a stream that ends without a
 * finish become thrown `ModelStreamErrorException`s, and the reader is released however it ends.
 *
 * @example
 * for await (const part of readStreamParts(stream)) if (part.type === 'text-delta') write(part.delta);
 */
export async function* readStreamParts(stream: ReadableStream<StreamPart>): AsyncGenerator<ContentPart> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) throw new OutcropError('ModelStreamErrorException', 'The model stream ended without a finish.');
      if (part.type === 'error') {
        throw OutcropError.isInstance(part.error) ? part.error : new OutcropError('ModelStreamErrorException', String((part.error as Error)?.message ?? part.error));
      }
      yield part;
      if (part.type === 'finish') return;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * Times one streamed invocation: call `mark()` when the first generated content arrives, then
 * `metrics(usage)` for the `amazon-bedrock-invocationMetrics` of the last chunk.
 */
export function invocationClock(context: FamilyContext): { mark(): void; metrics(usage: Usage): InvocationMetrics } {
  let firstByte: number | undefined;
  return {
    mark() {
      firstByte ??= performance.now();
    },
    metrics(usage) {
      const now = performance.now();
      return {
        inputTokenCount: usage.inputTokens,
        outputTokenCount: usage.outputTokens,
        invocationLatency: Math.round(now - context.started),
        firstByteLatency: Math.round((firstByte ?? now) - context.started),
      };
    },
  };
}

/** The finish part's fields, as the text-family chunk writers receive them. */
export interface StreamFinish {
  finishReason: FinishReason;
  usage: Usage;
}
