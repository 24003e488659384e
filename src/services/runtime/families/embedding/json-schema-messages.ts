import { z } from 'zod';

/**
 * Zod schemas that fail with the messages of the JSON-schema validator behind Bedrock's native
 * embedding bodies (`#/dimensions: 100 is not a valid enum value`, `expected maxLength: 2048,
 * actual: 2049`). A missing key keeps zod's message, which `malformedBody` turns into Bedrock's
 * `required key [...] not found`.
 */
function jsonType(value: unknown): string {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'JSONArray';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'BigDecimal';
  return 'JSONObject';
}

function typeError(expected: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? undefined : `expected type: ${expected}, found: ${jsonType(issue.input)}`);
}

export function jsonString(limits: { min?: number; max?: number } = {}) {
  let schema = z.string({ error: typeError('String') });
  if (limits.min !== undefined) schema = schema.min(limits.min, { error: (issue) => `expected minLength: ${limits.min}, actual: ${String(issue.input ?? '').length}` });
  if (limits.max !== undefined) schema = schema.max(limits.max, { error: (issue) => `expected maxLength: ${limits.max}, actual: ${String(issue.input ?? '').length}` });
  return schema;
}

export function jsonBoolean() {
  return z.boolean({ error: typeError('Boolean') });
}

/** A string that must be one of `values` (checked as a string first, so a missing key reads as missing). */
export function jsonEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.string({ error: typeError('String') }).pipe(z.enum(values, { error: (issue) => `${String(issue.input)} is not a valid enum value` }));
}

/** An integer that must be one of `values`. */
export function jsonIntegerEnum(values: readonly number[]) {
  return z
    .number({ error: typeError('Integer') })
    .refine((value) => values.includes(value), { error: (issue) => `${String(issue.input)} is not a valid enum value` });
}

export function jsonArray<T extends z.ZodType>(item: T, limits: { min?: number; max?: number } = {}) {
  let schema = z.array(item, { error: typeError('JSONArray') });
  if (limits.min !== undefined) {
    schema = schema.min(limits.min, { error: (issue) => `expected minimum item count: ${limits.min}, found: ${(issue.input as unknown[] | undefined)?.length ?? 0}` });
  }
  if (limits.max !== undefined) {
    schema = schema.max(limits.max, { error: (issue) => `expected maximum item count: ${limits.max}, found: ${(issue.input as unknown[] | undefined)?.length ?? 0}` });
  }
  return schema;
}
