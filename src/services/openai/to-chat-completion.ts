import { randomUUID } from 'node:crypto';
import type { FinishReason, GenerateResult, StreamPart, Usage } from '../../core/inference/language-model.js';
import { OutcropError } from '../../core/errors.js';
import type { ResponseFormat } from './chat-completions-api.js';
import { checkJsonOutput } from './json-response-format.js';

/** What every completion and chunk of one answer shares. */
export interface CompletionMeta {
  id: string;
  created: number;
  /** the model as the client named it */
  model: string;
  responseFormat: ResponseFormat | null | undefined;
}

export function completionMeta(model: string, responseFormat: ResponseFormat | null | undefined): CompletionMeta {
  return { id: `chatcmpl-${randomUUID().replaceAll('-', '')}`, created: Math.floor(Date.now() / 1000), model, responseFormat };
}

type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export function mapFinishReason(reason: FinishReason, hasToolCalls: boolean): OpenAIFinishReason {
  if (hasToolCalls || reason === 'tool-calls') return 'tool_calls';
  if (reason === 'length') return 'length';
  if (reason === 'content-filter') return 'content_filter';
  return 'stop';
}

export function mapUsage(usage: Usage): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadInputTokens ?? 0 },
  };
}

/**
 * A neutral result as a `chat.completion`. Reasoning, where the backend returns it, is in
 * `message.reasoning_content` (the field vLLM and DeepSeek use); JSON mode checks the text first.
 */
export function toChatCompletion(result: GenerateResult, meta: CompletionMeta): Record<string, unknown> {
  let text = '';
  let reasoning = '';
  const toolCalls: Record<string, unknown>[] = [];
  for (const part of result.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') reasoning += part.text;
    else if (part.type === 'tool-call') {
      toolCalls.push({ id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) } });
    }
  }
  checkJsonOutput(text, meta.responseFormat, result.finishReason, toolCalls.length > 0);
  const message: Record<string, unknown> = { role: 'assistant', content: text || (toolCalls.length ? null : ''), refusal: null };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls.length) message.tool_calls = toolCalls;
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: mapFinishReason(result.finishReason, toolCalls.length > 0) }],
    usage: mapUsage(result.usage),
    system_fingerprint: null,
  };
}

/**
 * Neutral stream parts as `chat.completion.chunk`s: a first chunk with the role, content and
 * `tool_calls` deltas (each call with its `index`, the first delta carrying `id` and name), a chunk
 * with the finish reason, and with `include_usage` a last chunk of usage and no choices (every
 * earlier chunk then has `usage: null`, as OpenAI sends them). An `error` part is thrown.
 */
export async function* toChatCompletionChunks(stream: ReadableStream<StreamPart>, meta: CompletionMeta, includeUsage: boolean): AsyncGenerator<Record<string, unknown>> {
  const envelope = { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, system_fingerprint: null };
  const chunk = (delta: Record<string, unknown>, finishReason: OpenAIFinishReason | null = null) => {
    const out: Record<string, unknown> = { ...envelope, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
    if (includeUsage) out.usage = null;
    return out;
  };
  const toolIndexes = new Map<string, number>();
  let text = '';
  let started = false;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) throw new OutcropError('ModelStreamErrorException', 'The model stream ended without a finish.');
      if (part.type === 'error') {
        throw OutcropError.isInstance(part.error) ? part.error : new OutcropError('ModelStreamErrorException', `The model failed mid-stream: ${(part.error as Error)?.message ?? String(part.error)}`);
      }
      if (!started) {
        // Sent once the backend has answered, so a failure before any output stays a plain HTTP error.
        started = true;
        yield chunk({ role: 'assistant', content: '', refusal: null });
      }
      switch (part.type) {
        case 'text-delta':
          if (!part.delta) break;
          if (meta.responseFormat && meta.responseFormat.type !== 'text') text += part.delta;
          yield chunk({ content: part.delta });
          break;
        case 'reasoning-delta':
          if (part.delta) yield chunk({ reasoning_content: part.delta });
          break;
        case 'tool-input-start': {
          const index = toolIndexes.size;
          toolIndexes.set(part.id, index);
          yield chunk({ tool_calls: [{ index, id: part.id, type: 'function', function: { name: part.toolName, arguments: '' } }] });
          break;
        }
        case 'tool-input-delta':
          if (part.delta) yield chunk({ tool_calls: [{ index: toolIndexes.get(part.id) ?? 0, function: { arguments: part.delta } }] });
          break;
        case 'finish':
          checkJsonOutput(text, meta.responseFormat, part.finishReason, toolIndexes.size > 0);
          yield chunk({}, mapFinishReason(part.finishReason, toolIndexes.size > 0));
          if (includeUsage) yield { ...envelope, choices: [], usage: mapUsage(part.usage) };
          return;
        default:
          break;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
