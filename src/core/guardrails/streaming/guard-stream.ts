import { OutcropError } from '../../errors.js';
import type { StreamPart, Usage } from '../../inference/language-model.js';
import type { GuardrailEvaluation } from '../guardrail-assessment.js';
import { nextBatch } from './stream-batches.js';

/**
 * Bedrock's two ways of guarding streamed output: `sync` holds text back until the batch holding it
 * passes (masking applied before release); `async` releases text at once, checks batches in the
 * background, and ends the stream with the intervention when a later batch fails.
 */
export type StreamProcessingMode = 'sync' | 'async';

export interface StreamGuardOptions {
  mode: StreamProcessingMode;
  /** evaluates one batch of output text as source OUTPUT; a throw fails the stream (never fails open) */
  check(text: string): Promise<GuardrailEvaluation>;
  /** characters that make a batch (default 1,000: one Bedrock text unit); shorter at the end of a block */
  batchCharacters?: number;
}

/** What the guard saw, complete by the time the guarded stream emits its `finish` part. */
export interface StreamGuardOutcome {
  /** a batch was blocked: the stream ended with the blocked messaging */
  blocked: boolean;
  /** a batch was blocked or masked */
  intervened: boolean;
  /** every batch's evaluation, in stream order */
  evaluations: GuardrailEvaluation[];
  /** the model's text of every batch, as evaluated */
  modelOutput: string[];
}

/** Text-block id the guard uses when the blocked messaging must open a block of its own. */
export const guardrailMessageId = 'guardrail-intervention';

/**
 * Guards the text of a neutral part stream batch by batch. Tool-use and reasoning parts pass through
 * unchanged. When a batch is blocked, the text not yet released is replaced by the guardrail's
 * blocked messaging, the model's remaining output is consumed silently (for its usage), and the
 * stream ends with a `content-filter` finish; `outcome.blocked` tells the edge to answer
 * Bedrock's `guardrail_intervened`.
 *
 * @example
 * const { stream, outcome } = guardStream(modelStream, { mode: 'sync', check: (text) => evaluateOutput(text) });
 * for await (const part of stream) send(part);
 * outcome.blocked; // true when the guardrail stopped the answer
 */
export function guardStream(parts: ReadableStream<StreamPart>, options: StreamGuardOptions): { stream: ReadableStream<StreamPart>; outcome: StreamGuardOutcome } {
  const outcome: StreamGuardOutcome = { blocked: false, intervened: false, evaluations: [], modelOutput: [] };
  const generator = run(parts, options, outcome);
  const stream = new ReadableStream<StreamPart>({
    async pull(controller) {
      try {
        const { done, value } = await generator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.enqueue({ type: 'error', error });
        controller.close();
      }
    },
    async cancel() {
      await generator.return(undefined);
    },
  });
  return { stream, outcome };
}

async function* run(parts: ReadableStream<StreamPart>, options: StreamGuardOptions, outcome: StreamGuardOutcome): AsyncGenerator<StreamPart> {
  const size = options.batchCharacters ?? 1000;
  const reader = parts.getReader();
  /** per open text block: text not yet checked (async) or not yet released (sync) */
  const pending = new Map<string, string>();
  let background: Promise<void> = Promise.resolve();
  // Set from the background checks of async mode, so kept in an object the compiler does not narrow.
  const state: { failure?: { error: unknown }; blockedBy?: GuardrailEvaluation } = {};

  const evaluate = async (text: string): Promise<GuardrailEvaluation> => {
    const evaluation = await options.check(text);
    outcome.evaluations.push(evaluation);
    outcome.modelOutput.push(text);
    if (evaluation.action === 'GUARDRAIL_INTERVENED') outcome.intervened = true;
    if (evaluation.blocked) {
      state.blockedBy ??= evaluation;
      outcome.blocked = true;
    }
    return evaluation;
  };
  const schedule = (text: string) => {
    background = background.then(async () => {
      if (state.failure || state.blockedBy) return;
      try {
        await evaluate(text);
      } catch (error) {
        state.failure ??= { error };
      }
    });
  };
  /** Checks and releases (sync) or schedules (async) the batches ready in one block; `final` takes the rest. */
  async function* take(id: string, final: boolean): AsyncGenerator<StreamPart> {
    for (;;) {
      const text = pending.get(id) ?? '';
      const batch = nextBatch(text, size, final);
      if (batch === undefined) return;
      pending.set(id, text.slice(batch.length));
      if (options.mode === 'async') {
        schedule(batch);
        continue;
      }
      const evaluation = await evaluate(batch);
      if (evaluation.blocked) return;
      const released = evaluation.maskedContent.at(-1)?.text ?? batch;
      if (released) yield { type: 'text-delta', id, delta: released };
    }
  }

  try {
    for (;;) {
      rethrow(state.failure);
      if (state.blockedBy) {
        yield* intervene(reader, pending, state.blockedBy, undefined);
        return;
      }
      const { done, value: part } = await reader.read();
      if (done) {
        // The model stream ended without a finish: the edge reports it; nothing unguarded is released.
        return;
      }
      switch (part.type) {
        case 'text-start':
          pending.set(part.id, '');
          yield part;
          break;
        case 'text-delta':
          pending.set(part.id, (pending.get(part.id) ?? '') + part.delta);
          if (options.mode === 'async') yield part;
          yield* take(part.id, false);
          break;
        case 'text-end':
          yield* take(part.id, true);
          if (state.blockedBy) break;
          pending.delete(part.id);
          yield part;
          break;
        case 'finish':
          for (const id of pending.keys()) yield* take(id, true);
          await background;
          rethrow(state.failure);
          if (state.blockedBy) {
            yield* intervene(reader, pending, state.blockedBy, part.usage);
            return;
          }
          yield part;
          return;
        case 'error':
          yield part;
          return;
        default:
          yield part;
      }
    }
  } catch (error) {
    throw OutcropError.isInstance(error) ? error : new OutcropError('InternalServerException', `The guardrail check failed, so the output was not released: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  } finally {
    reader.cancel().catch(() => {});
  }
}

function rethrow(failure: { error: unknown } | undefined): void {
  if (failure) throw failure.error;
}

/** The blocked messaging in place of the unreleased text, the open blocks closed, and a content-filter finish with the model's usage. */
async function* intervene(reader: ReadableStreamDefaultReader<StreamPart>, pending: Map<string, string>, blocked: GuardrailEvaluation, usage: Usage | undefined): AsyncGenerator<StreamPart> {
  const messaging = blocked.outputs[0]?.text ?? '';
  const open = [...pending.keys()];
  const target = open.at(-1);
  if (target === undefined) yield { type: 'text-start', id: guardrailMessageId };
  const id = target ?? guardrailMessageId;
  yield { type: 'text-delta', id, delta: messaging };
  for (const openId of open) if (openId !== id) yield { type: 'text-end', id: openId };
  yield { type: 'text-end', id };
  pending.clear();
  let finalUsage = usage;
  while (!finalUsage) {
    const { done, value } = await reader.read().catch(() => ({ done: true as const, value: undefined }));
    if (done) break;
    if (value.type === 'finish') finalUsage = value.usage;
    if (value.type === 'error') break;
  }
  yield { type: 'finish', finishReason: 'content-filter', usage: finalUsage ?? { inputTokens: 0, outputTokens: 0 } };
}
