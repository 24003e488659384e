import { OutcropError } from '../../core/errors.js';
import { guardStream, type StreamGuardOutcome } from '../../core/guardrails/index.js';
import type { StreamPart } from '../../core/inference/language-model.js';
import type { ConverseStreamRequest } from '../../protocol/generated/bedrock-runtime-types.js';
import type { HandlerContext } from '../handler.js';
import { convertConverseRequest } from './convert-converse-request.js';
import { converseUsage } from './converse.js';
import { checkGuardrail, converseGroundingReferences, converseGuardedInput, guardrailStreamTrace, requireGuardrail } from './converse-guardrail.js';
import { mapConverseStopReason } from './map-converse-stop-reason.js';

/**
 * ConverseStream: the neutral part stream turned into Bedrock's `ConverseStreamOutput` events. With
 * `guardrailConfig` the input is checked before the model is called (a blocked input streams the
 * blocked messaging without calling it), and the output is checked in batches as it arrives, in
 * Bedrock's `sync` (default) or `async` processing mode.
 */
export async function converseStream(input: ConverseStreamRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const started = performance.now();
  const resolved = context.deps.catalog.resolve(input.modelId);
  if (!resolved.entry.streaming) {
    throw new OutcropError('ValidationException', `The model ${input.modelId} does not support response streaming.`);
  }
  const options = convertConverseRequest(input, context.signal);
  const guardConfig = input.guardrailConfig;
  if (!guardConfig) {
    const { stream } = await resolved.model.stream(options);
    return { stream: toConverseEvents(stream, started) };
  }
  const guard = requireGuardrail(guardConfig, context, 'ConverseStream');
  const tracing = guardConfig.trace === 'enabled' || guardConfig.trace === 'enabled_full';
  const inputCheck = await checkGuardrail(guard, 'INPUT', converseGuardedInput(input), context);
  if (inputCheck.evaluation.blocked) {
    // Bedrock answers a blocked input itself: the model is never called.
    const trace = tracing ? guardrailStreamTrace(inputCheck, undefined, false) : undefined;
    return { stream: blockedInputEvents(inputCheck.evaluation.outputs[0]?.text ?? '', started, trace) };
  }
  const references = converseGroundingReferences(input);
  const { stream: modelStream } = await resolved.model.stream(options);
  const guarded = guardStream(modelStream, {
    mode: guardConfig.streamProcessingMode ?? 'sync',
    check: async (text) => (await checkGuardrail(guard, 'OUTPUT', [...references, { text }], context)).evaluation,
  });
  const outputTrace = () => guardrailStreamTrace(inputCheck, { guardrailId: inputCheck.guardrailId, outcome: guarded.outcome }, guardConfig.trace === 'enabled_full');
  return { stream: toConverseEvents(guarded.stream, started, { outcome: guarded.outcome, ...(tracing ? { trace: outputTrace } : {}) }) };
}

async function* blockedInputEvents(messaging: string, started: number, trace: Record<string, unknown> | undefined): AsyncGenerator<Record<string, unknown>> {
  yield { messageStart: { role: 'assistant' } };
  yield { contentBlockDelta: { delta: { text: messaging }, contentBlockIndex: 0 } };
  yield { contentBlockStop: { contentBlockIndex: 0 } };
  yield { messageStop: { stopReason: 'guardrail_intervened' } };
  yield { metadata: { usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, metrics: { latencyMs: Math.round(performance.now() - started) }, ...(trace ? { trace: { guardrail: trace } } : {}) } };
}

/** What a guarded stream adds to its events: `guardrail_intervened` when blocked, and the trace. */
interface StreamGuardEvents {
  outcome: StreamGuardOutcome;
  trace?: () => Record<string, unknown>;
}

/** Maps typed parts to `messageStart`, `contentBlock*`, `messageStop` and `metadata` events. */
export async function* toConverseEvents(stream: ReadableStream<StreamPart>, started: number, guard?: StreamGuardEvents): AsyncGenerator<Record<string, unknown>> {
  const blockIndex = new Map<string, number>();
  let nextIndex = 0;
  let hasToolCalls = false;
  const reader = stream.getReader();
  try {
    yield { messageStart: { role: 'assistant' } };
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) throw new OutcropError('ModelStreamErrorException', 'The model stream ended without a finish.');
      switch (part.type) {
        case 'text-start':
        case 'reasoning-start':
          blockIndex.set(part.id, nextIndex++);
          break;
        case 'text-delta':
          yield { contentBlockDelta: { delta: { text: part.delta }, contentBlockIndex: blockIndex.get(part.id) ?? 0 } };
          break;
        case 'reasoning-delta':
          yield { contentBlockDelta: { delta: { reasoningContent: { text: part.delta } }, contentBlockIndex: blockIndex.get(part.id) ?? 0 } };
          break;
        case 'tool-input-start': {
          hasToolCalls = true;
          const index = nextIndex++;
          blockIndex.set(part.id, index);
          yield { contentBlockStart: { start: { toolUse: { toolUseId: part.id, name: part.toolName } }, contentBlockIndex: index } };
          break;
        }
        case 'tool-input-delta':
          yield { contentBlockDelta: { delta: { toolUse: { input: part.delta } }, contentBlockIndex: blockIndex.get(part.id) ?? 0 } };
          break;
        case 'text-end':
        case 'reasoning-end':
        case 'tool-input-end':
          yield { contentBlockStop: { contentBlockIndex: blockIndex.get(part.id) ?? 0 } };
          break;
        case 'finish':
          yield { messageStop: { stopReason: guard?.outcome.blocked ? 'guardrail_intervened' : mapConverseStopReason(part.finishReason, hasToolCalls) } };
          yield {
            metadata: {
              usage: converseUsage(part.usage),
              metrics: { latencyMs: Math.round(performance.now() - started) },
              ...(guard?.trace ? { trace: { guardrail: guard.trace() } } : {}),
            },
          };
          return;
        case 'error':
          throw OutcropError.isInstance(part.error)
            ? part.error
            : new OutcropError('ModelStreamErrorException', `The model failed mid-stream: ${(part.error as Error)?.message ?? String(part.error)}`);
        default:
          break;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
