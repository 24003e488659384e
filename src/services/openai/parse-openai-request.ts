import type { z } from 'zod';
import { openAIRequestError } from './openai-error.js';

/**
 * Validates a request body against its schema, or throws OpenAI's 400 naming the field:
 * `Missing required parameter: 'messages'.`, `Invalid type for 'messages[0].content': ...`.
 *
 * @example
 * const request = parseOpenAIRequest(chatCompletionRequestSchema, body);
 */
export function parseOpenAIRequest<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw openAIRequestError('We could not parse the JSON body of your request: the body must be a JSON object.');
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (!issue) throw openAIRequestError('The request body is invalid.');
  const param = paramOf(issue.path);
  if (issue.code === 'invalid_type' && valueAt(body, issue.path) === undefined) {
    throw openAIRequestError(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  }
  if (issue.code === 'invalid_type') throw openAIRequestError(`Invalid type for '${param}': ${issue.message}.`, param, 'invalid_type');
  if (issue.code === 'invalid_union') {
    const value = valueAt(body, issue.path);
    const wrongType = typeof value !== 'object' || value === null;
    throw openAIRequestError(`Invalid ${wrongType ? 'type' : 'value'} for '${param}': it matches none of the accepted forms.`, param, wrongType ? 'invalid_type' : 'invalid_value');
  }
  if (issue.code === 'invalid_value' && 'values' in issue) {
    const supported = issue.values.map((value) => `'${String(value)}'`).join(', ');
    throw openAIRequestError(`Invalid value: '${String(valueAt(body, issue.path))}'. Supported values are: ${supported}.`, param, 'invalid_value');
  }
  throw openAIRequestError(`Invalid '${param}': ${issue.message}.`, param, 'invalid_value');
}

/** `['messages', 0, 'content']` as OpenAI writes it: `messages[0].content`. */
export function paramOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}
