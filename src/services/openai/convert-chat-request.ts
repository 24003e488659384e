import {
  type CallOptions,
  type ImageFormat,
  type Message,
  type Part,
  isReasoningEffort,
  type ResponseFormat,
  type ToolChoice,
  type ToolDefinition,
} from '../../core/inference/language-model.js';
import { bookkeepingFields, type ChatCompletionRequest, type ChatMessage, readFields } from './chat-completions-api.js';
import { toStructuredOutput, withJsonInstruction } from './json-response-format.js';
import { openAIRequestError } from './openai-error.js';

const dataUrl = /^data:image\/(png|jpeg|jpg|gif|webp);base64,(.*)$/s;

/**
 * A Chat Completions request to a neutral call. `system` and `developer` turns become system
 * messages, consecutive `tool` turns one tool message, a `json_schema` response format with its schema
 * becomes the neutral structured output, other JSON modes go to the backend in `extraBody` (and, when
 * no message mentions JSON, an instruction asks for it), `reasoning_effort` becomes the neutral
 * reasoning effort (a level Bedrock lacks, such as `minimal`, goes to the backend as it is), and
 * top-level fields this server does not read are passed to the backend as they are.
 *
 * @example
 * convertChatRequest({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, signal).prompt
 * // [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]
 */
export function convertChatRequest(request: ChatCompletionRequest, signal: AbortSignal): CallOptions {
  checkSupported(request);
  const tools = request.tools?.length ? convertTools(request.tools) : undefined;
  const responseFormat = schemaFormat(request.response_format);
  // (a schema goes to every backend's own structured output, and llama.cpp's grammar; JSON mode without one is asked for in words too)
  const prompt = convertMessages(request.messages);
  const options: CallOptions = { prompt: responseFormat ? prompt : withJsonInstruction(prompt, request.response_format), abortSignal: signal };
  if (responseFormat) options.responseFormat = responseFormat;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) options.maxOutputTokens = maxTokens;
  if (request.temperature != null) options.temperature = request.temperature;
  if (request.top_p != null) options.topP = request.top_p;
  if (request.top_k != null) options.topK = request.top_k;
  if (request.stop != null) {
    const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
    if (stop.length) options.stopSequences = stop;
  }
  if (tools) {
    options.tools = tools;
    const choice = convertToolChoice(request.tool_choice, tools);
    if (choice) options.toolChoice = choice;
  } else if (request.tool_choice === 'required' || typeof request.tool_choice === 'object') {
    throw openAIRequestError("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", 'tool_choice');
  }
  const extraBody: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (readFields.has(key) || bookkeepingFields.has(key) || value === undefined) continue;
    extraBody[key] = value;
  }
  if (request.response_format && request.response_format.type !== 'text' && !responseFormat) extraBody.response_format = request.response_format;
  if (request.reasoning_effort != null) {
    // (levels Bedrock has become the neutral effort, which each backend maps to its own control; others, such as `minimal` or `none`, go to the backend as they are)
    if (isReasoningEffort(request.reasoning_effort)) options.reasoningEffort = request.reasoning_effort;
    else extraBody.reasoning_effort = request.reasoning_effort;
  }
  if (Object.keys(extraBody).length) options.extraBody = extraBody;
  return options;
}

/** A `json_schema` response format with its schema as the neutral structured output; `json_object`, and `json_schema` without a schema, go to the backend as they are. */
function schemaFormat(format: ChatCompletionRequest['response_format']): ResponseFormat | undefined {
  if (format?.type !== 'json_schema' || !format.json_schema.schema) return undefined;
  return toStructuredOutput({ ...format.json_schema, schema: format.json_schema.schema });
}

function checkSupported(request: ChatCompletionRequest): void {
  if (request.n != null && request.n > 1) throw openAIRequestError("Invalid 'n': this server returns one choice per request (n = 1).", 'n', 'unsupported_value');
  if (request.logprobs) throw openAIRequestError("Invalid 'logprobs': log probabilities are not supported by this server.", 'logprobs', 'unsupported_parameter');
  if (request.top_logprobs != null) throw openAIRequestError("Invalid 'top_logprobs': log probabilities are not supported by this server.", 'top_logprobs', 'unsupported_parameter');
  if (request.stream_options != null && request.stream !== true) {
    throw openAIRequestError("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options', 'invalid_value');
  }
}

function convertMessages(messages: ChatMessage[]): Message[] {
  const toolNames = new Map<string, string>();
  const prompt: Message[] = [];
  messages.forEach((message, index) => {
    const at = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        prompt.push({ role: 'system', content: [{ type: 'text', text: textOf(message.content, `${at}.content`) }] });
        return;
      case 'user': {
        const content = contentParts(message.content, `${at}.content`);
        if (content.length) prompt.push({ role: 'user', content });
        return;
      }
      case 'assistant': {
        const content: Part[] = [];
        const text = textOf(message.content, `${at}.content`);
        if (text) content.push({ type: 'text', text });
        (message.tool_calls ?? []).forEach((call, callIndex) => {
          toolNames.set(call.id, call.function.name);
          content.push({
            type: 'tool-call',
            toolCallId: call.id,
            toolName: call.function.name,
            input: parseArguments(call.function.arguments, `${at}.tool_calls[${callIndex}].function.arguments`),
          });
        });
        if (content.length) prompt.push({ role: 'assistant', content });
        return;
      }
      case 'tool': {
        const id = message.tool_call_id;
        if (!id) throw openAIRequestError(`Missing required parameter: '${at}.tool_call_id'.`, `${at}.tool_call_id`, 'missing_required_parameter');
        const toolName = toolNames.get(id);
        if (toolName === undefined) {
          throw openAIRequestError(
            `Invalid parameter: messages with role 'tool' must be a response to a preceding message with 'tool_calls' (no tool call has the id '${id}').`,
            `${at}.tool_call_id`,
          );
        }
        const result: Part = { type: 'tool-result', toolCallId: id, toolName, content: [{ type: 'text', text: textOf(message.content, `${at}.content`) }], isError: false };
        const previous = prompt.at(-1);
        if (previous?.role === 'tool') previous.content.push(result);
        else prompt.push({ role: 'tool', content: [result] });
        return;
      }
      default:
        throw openAIRequestError(`Invalid value: 'function'. The 'function' role is not supported; use 'tool' messages.`, `${at}.role`, 'invalid_value');
    }
  });
  if (prompt.every((message) => message.role === 'system')) {
    throw openAIRequestError("Invalid 'messages': the conversation needs at least one user, assistant or tool message.", 'messages');
  }
  return prompt;
}

function contentParts(content: ChatMessage['content'], at: string): Part[] {
  if (content == null) return [];
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  return content.map((part, index): Part => {
    const path = `${at}[${index}]`;
    if (part.type === 'text' && typeof part.text === 'string') return { type: 'text', text: part.text };
    if (part.type === 'image_url') {
      const image = part.image_url as { url?: unknown } | string | undefined;
      const url = typeof image === 'string' ? image : image?.url;
      if (typeof url !== 'string') throw openAIRequestError(`Missing required parameter: '${path}.image_url.url'.`, `${path}.image_url.url`, 'missing_required_parameter');
      const match = dataUrl.exec(url);
      if (!match) {
        throw openAIRequestError(
          `Invalid '${path}.image_url.url': only base64 data URLs of PNG, JPEG, GIF or WebP images are supported (this server does not fetch URLs).`,
          `${path}.image_url.url`,
          'invalid_image_url',
        );
      }
      const format = (match[1] === 'jpg' ? 'jpeg' : match[1]) as ImageFormat;
      return { type: 'image', format, data: Buffer.from(match[2] ?? '', 'base64') };
    }
    throw openAIRequestError(`Invalid '${path}.type': content parts of type '${part.type}' are not supported; use 'text' or 'image_url'.`, `${path}.type`, 'invalid_value');
  });
}

/** Text of a turn that holds only text (system, developer, assistant, tool). */
function textOf(content: ChatMessage['content'], at: string): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part, index) => {
      if (part.type === 'text' && typeof part.text === 'string') return part.text;
      if (part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
      throw openAIRequestError(`Invalid '${at}[${index}].type': only text content is allowed in this role.`, `${at}[${index}].type`, 'invalid_value');
    })
    .join('');
}

function parseArguments(text: string, at: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw openAIRequestError(`Invalid '${at}': the tool-call arguments are not valid JSON.`, at, 'invalid_value');
  }
}

function convertTools(tools: NonNullable<ChatCompletionRequest['tools']>): ToolDefinition[] {
  return tools.map(({ function: tool }) => {
    const definition: ToolDefinition = { name: tool.name, inputSchema: tool.parameters ?? { type: 'object', properties: {} } };
    if (tool.description) definition.description = tool.description;
    return definition;
  });
}

function convertToolChoice(choice: ChatCompletionRequest['tool_choice'], tools: ToolDefinition[]): ToolChoice | undefined {
  if (choice == null) return undefined;
  if (typeof choice === 'string') return { type: choice };
  const name = choice.function.name;
  if (!tools.some((tool) => tool.name === name)) {
    throw openAIRequestError(`Invalid value for 'tool_choice': the function '${name}' is not among the 'tools'.`, 'tool_choice.function.name', 'invalid_value');
  }
  return { type: 'tool', toolName: name };
}
