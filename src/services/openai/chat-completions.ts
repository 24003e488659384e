import type { HandlerContext } from '../handler.js';
import { chatCompletionRequestSchema } from './chat-completions-api.js';
import { convertChatRequest } from './convert-chat-request.js';
import { openAIRequestError } from './openai-error.js';
import type { OpenAIRequest, OpenAIResponse } from './openai-handler.js';
import { parseOpenAIRequest } from './parse-openai-request.js';
import { resolveOpenAIModel } from './resolve-openai-model.js';
import { completionMeta, toChatCompletion, toChatCompletionChunks } from './to-chat-completion.js';

/**
 * `POST /v1/chat/completions`: one neutral `generate` or `stream` call on the catalog's model, its
 * result as a `chat.completion` or a stream of `chat.completion.chunk`s.
 *
 * @example
 * // with the openai client: new OpenAI({ baseURL: 'http://127.0.0.1:8080/v1', apiKey: 'ABSK...' })
 * await client.chat.completions.create({ model: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: 'Hi' }] });
 */
export async function createChatCompletion(request: OpenAIRequest, context: HandlerContext): Promise<OpenAIResponse> {
  const body = parseOpenAIRequest(chatCompletionRequestSchema, request.body);
  const resolved = resolveOpenAIModel(context.deps.catalog, body.model, 'text');
  const options = convertChatRequest(body, context.signal);
  const meta = completionMeta(body.model, body.response_format);
  if (!body.stream) return { json: toChatCompletion(await resolved.model.generate(options), meta) };
  if (!resolved.entry.streaming) throw openAIRequestError(`The model '${body.model}' does not support streaming; send the request without 'stream'.`, 'stream', 'unsupported_value');
  const { stream } = await resolved.model.stream(options);
  return { events: toChatCompletionChunks(stream, meta, body.stream_options?.include_usage === true) };
}
