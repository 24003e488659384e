import type { StreamPart } from '../../core/inference/language-model.js';
import { OutcropError } from '../../core/errors.js';
import type { ConverseStreamRequest } from '../../protocol/generated/bedrock-runtime-types.js';
import type { HandlerContext } from '../handler.js';
import { convertConverseRequest } from './convert-converse-request.js';
import { converseUsage } from './converse.js';
import { mapConverseStopReason } from './map-converse-stop-reason.js';

/** ConverseStream: the neutral part stream turned into Bedrock's `ConverseStreamOutput` events. */
export async function converseStream(input: ConverseStreamRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const started = performance.now();
  const resolved = context.deps.catalog.resolve(input.modelId);
  if (!resolved.entry.streaming) {
    throw new OutcropError('ValidationException', `The model ${input.modelId} does not support response streaming.`);
  }
  if (input.guardrailConfig) {
    throw new OutcropError('ValidationException', 'Guardrails on ConverseStream are not supported by this server yet; use Converse, or ApplyGuardrail on the streamed text.');
  }
  const options = convertConverseRequest(input, context.signal);
  const { stream } = await resolved.model.stream(options);
  return { stream: toConverseEvents(stream, started) };
}

/** Maps typed parts to `messageStart`, `contentBlock*`, `messageStop` and `metadata` events. */
export async function* toConverseEvents(stream: ReadableStream<StreamPart>, started: number): AsyncGenerator<Record<string, unknown>> {
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
          yield { messageStop: { stopReason: mapConverseStopReason(part.finishReason, hasToolCalls) } };
          yield { metadata: { usage: converseUsage(part.usage), metrics: { latencyMs: Math.round(performance.now() - started) } } };
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
