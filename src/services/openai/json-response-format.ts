import type { FinishReason, Message, ResponseFormat as StructuredOutput } from '../../core/inference/language-model.js';
import { OutcropError } from '../../core/errors.js';
import type { ResponseFormat } from './chat-completions-api.js';
import { checkJsonSchema } from './check-json-schema.js';

type JsonFormat = Exclude<ResponseFormat, { type: 'text' }>;

function isJsonFormat(format: ResponseFormat | null | undefined): format is JsonFormat {
  return format?.type === 'json_object' || format?.type === 'json_schema';
}

/**
 * An OpenAI `json_schema` response format's definition, its schema already known to be an object, as
 * the neutral structured output. `strict` is OpenAI's own default, false, unless the definition sets
 * it; an empty description is left out; errors about the schema name OpenAI's field. The front door and the gpt-oss
 * InvokeModel body both use it.
 *
 * @example
 * toStructuredOutput({ name: 'rock', schema }) // { type: 'json-schema', schema, name: 'rock', strict: false, field: 'response_format.json_schema.schema' }
 */
export function toStructuredOutput(definition: { name?: unknown; description?: unknown; schema: Record<string, unknown>; strict?: unknown }): StructuredOutput {
  return {
    type: 'json-schema',
    schema: definition.schema,
    ...(typeof definition.name === 'string' ? { name: definition.name } : {}),
    ...(typeof definition.description === 'string' && definition.description ? { description: definition.description } : {}),
    strict: definition.strict === true,
    field: 'response_format.json_schema.schema',
  };
}

/**
 * JSON mode asks the model for JSON twice: `response_format` goes to backends that constrain their
 * output (vLLM, llama.cpp server, Ollama, OpenAI), and when no message mentions JSON a system
 * instruction asks for it, for backends that ignore the field.
 *
 * @example
 * withJsonInstruction(prompt, { type: 'json_object' }) // prompt with "Respond with a single JSON object ..." in its system turn
 */
export function withJsonInstruction(prompt: Message[], format: ResponseFormat | null | undefined): Message[] {
  if (!isJsonFormat(format)) return prompt;
  const mentionsJson = prompt.some((message) => message.content.some((part) => part.type === 'text' && /json/i.test(part.text)));
  if (mentionsJson) return prompt;
  const schema = format.type === 'json_schema' && format.json_schema.schema ? ` that matches this JSON schema: ${JSON.stringify(format.json_schema.schema)}` : '';
  const instruction = `Respond with a single JSON object${schema}, and nothing else.`;
  const [first, ...rest] = prompt;
  if (first?.role === 'system') return [{ role: 'system', content: [...first.content, { type: 'text', text: `\n\n${instruction}` }] }, ...rest];
  return [{ role: 'system', content: [{ type: 'text', text: instruction }] }, ...prompt];
}

/**
 * Checks the final text of a JSON-mode answer: it must parse as JSON, and for `json_schema` match the
 * schema's basic constraints. An answer cut short by the token limit is left as it is (OpenAI's
 * documented behaviour: the client sees `finish_reason: "length"`), as is a turn of tool calls only.
 */
export function checkJsonOutput(text: string, format: ResponseFormat | null | undefined, finishReason: FinishReason, hasToolCalls: boolean): void {
  if (!isJsonFormat(format) || finishReason === 'length' || (hasToolCalls && !text.trim())) return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidOutput(`The model's answer is not valid JSON, which response_format '${format.type}' requires (${(error as Error).message}).`);
  }
  if (format.type === 'json_object' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw invalidOutput("The model's answer is JSON but not a JSON object, which response_format 'json_object' requires.");
  }
  if (format.type === 'json_schema' && format.json_schema.schema) {
    const problems = checkJsonSchema(value, format.json_schema.schema);
    if (problems.length) throw invalidOutput(`The model's answer does not match the JSON schema '${format.json_schema.name}': ${problems.slice(0, 3).join('; ')}.`);
  }
}

function invalidOutput(message: string): OutcropError {
  return new OutcropError('ModelErrorException', message, { fields: { code: 'invalid_json_output' } });
}
