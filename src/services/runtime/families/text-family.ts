import type { GenerateResult, StreamPart } from '../../../core/inference/language-model.js';
import { OutcropError } from '../../../core/errors.js';
import type { FamilyContext } from './family.js';
import { invocationClock, readStreamParts, type StreamFinish } from './read-stream-parts.js';

/**
 * How a family whose body carries one string writes the model's reasoning: inside tags before the
 * answer (DeepSeek-R1's `<think>`, gpt-oss's `<reasoning>`), or not at all (families with no place
 * for it).
 */
export type ReasoningTags = { open: string; close: string } | null;

export const thinkTags: ReasoningTags = { open: '<think>\n', close: '\n</think>\n\n' };
export const reasoningTags: ReasoningTags = { open: '<reasoning>', close: '</reasoning>' };

/** The result's text, with its reasoning in front when the family has tags for it. */
export function resultText(result: GenerateResult, tags: ReasoningTags): string {
  let reasoning = '';
  let text = '';
  for (const part of result.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') reasoning += part.text;
  }
  return tags && reasoning ? `${tags.open}${reasoning}${tags.close}${text}` : text;
}

/** Writes a text family's chunk JSON; the helper adds the invocation metrics to the last. */
export interface TextChunkWriter {
  /** a chunk carrying one piece of generated text; `count` is the number of pieces so far */
  delta(text: string, count: number): Record<string, unknown>;
  /** the last chunk, with the stop reason and token counts */
  last(finish: StreamFinish): Record<string, unknown>;
}

/**
 * The chunks of a family whose stream is a sequence of text pieces and a closing chunk (Llama, Titan,
 * Mistral text, DeepSeek): one chunk per text delta, then `last` with `amazon-bedrock-invocationMetrics`.
 */
export async function* textChunks(
  stream: ReadableStream<StreamPart>,
  context: FamilyContext,
  family: string,
  writer: TextChunkWriter,
  tags: ReasoningTags,
): AsyncGenerator<Record<string, unknown>> {
  const clock = invocationClock(context);
  let count = 0;
  const piece = (text: string) => {
    clock.mark();
    return writer.delta(text, ++count);
  };
  for await (const part of readStreamParts(stream)) {
    switch (part.type) {
      case 'text-delta':
        if (part.delta) yield piece(part.delta);
        break;
      case 'reasoning-start':
        if (tags) yield piece(tags.open);
        break;
      case 'reasoning-delta':
        if (tags && part.delta) yield piece(part.delta);
        break;
      case 'reasoning-end':
        if (tags) yield piece(tags.close);
        break;
      case 'tool-input-start':
        throw new OutcropError('ModelErrorException', `The model called the tool '${part.toolName}', which a ${family} body cannot carry.`);
      case 'finish':
        yield { ...writer.last(part), 'amazon-bedrock-invocationMetrics': clock.metrics(part.usage) };
        return;
      default:
        break;
    }
  }
}
