import type { ResponseFormat } from '../../core/inference/language-model.js';

/** The schema object of OpenAI-style structured output: `json_schema` in Chat Completions, `text.format` in Responses. */
export interface OpenAIJsonSchema {
  name: string;
  schema: Record<string, unknown>;
  strict: boolean;
  description?: string;
}

/**
 * A neutral response format as the schema object OpenAI-style APIs (OpenAI, Mistral, vLLM, ...) take
 * for structured output, strict unless the format says otherwise. The name must match `^[a-zA-Z0-9_-]{1,64}$`: other characters
 * become `_`, it is cut to 64, and a format without one is named `response`.
 *
 * @example
 * toOpenAIJsonSchema({ type: 'json-schema', name: 'rock info', schema });
 * // { name: 'rock_info', schema, strict: true }
 */
export function toOpenAIJsonSchema(format: ResponseFormat): OpenAIJsonSchema {
  const name = (format.name ?? '').replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'response';
  return { name, schema: format.schema, strict: format.strict ?? true, ...(format.description ? { description: format.description } : {}) };
}
