import type { z } from 'zod';
import { OutcropError } from '../../../core/errors.js';

/** Bedrock's message for a native body that does not fit its family's schema. */
export function malformedBody(error: z.ZodError): OutcropError {
  const issue = error.issues[0];
  const path = issue?.path.length ? `#/${issue.path.join('/')}` : '#';
  let detail = issue?.message ?? 'invalid';
  if (issue?.code === 'unrecognized_keys') detail = `extraneous key [${issue.keys.join(', ')}] is not permitted`;
  else if (issue?.code === 'invalid_type' && /received undefined/i.test(issue.message)) {
    const key = issue.path[issue.path.length - 1];
    return new OutcropError(
      'ValidationException',
      `Malformed input request: ${issue.path.length > 1 ? `#/${issue.path.slice(0, -1).join('/')}` : '#'}: required key [${String(key)}] not found, please reformat your input and try again.`,
    );
  }
  return new OutcropError('ValidationException', `Malformed input request: ${path}: ${detail}, please reformat your input and try again.`);
}

/**
 * Bedrock's message for a field the body may hold but this server cannot honour, naming it by its
 * JSON pointer (`#/documents`), so the client never loses a setting silently.
 *
 * @example
 * throw unsupportedField(['messages', 0, 'content', 1, 'video'], 'video content is not supported');
 */
export function unsupportedField(path: (string | number)[], detail: string): OutcropError {
  return new OutcropError('ValidationException', `Malformed input request: #/${path.join('/')}: ${detail}, please reformat your input and try again.`);
}

/** Validates a native body against its family's schema, or throws Bedrock's malformed-input error. */
export function parseFamilyBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw malformedBody(parsed.error);
  return parsed.data;
}
