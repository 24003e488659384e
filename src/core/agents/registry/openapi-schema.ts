import { parse as parseYaml } from 'yaml';
import { OutcropError } from '../../errors.js';

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Largest OpenAPI document an action group may carry, as Bedrock's `Payload` allows. */
const maxSchemaBytes = 1024 * 1024;

/**
 * Parses and checks an action group's OpenAPI schema the way Bedrock does before an agent may use
 * it: JSON or YAML, a valid OpenAPI 3 document (checked by `@readme/openapi-parser` against the
 * specification's JSON Schema, with internal `$ref`s resolved and external ones refused), plus
 * Bedrock's own rules: at least one path, a `description` on every operation, `application/json`
 * request bodies. Returns the document with its references resolved (circular ones are kept as
 * `$ref`). Every problem is a `ValidationException` naming the action group and the problem.
 *
 * @example
 * const document = await parseOpenApiSchema('openapi: 3.0.0\ninfo: ...', 'weather');
 */
export async function parseOpenApiSchema(text: string, actionGroupName: string): Promise<Record<string, unknown>> {
  const fail = (problem: string) =>
    new OutcropError('ValidationException', `Failed to create OpenAPI 3 model from the JSON/YAML object that you provided for action group ${actionGroupName}: ${problem}`);
  if (Buffer.byteLength(text) > maxSchemaBytes) throw fail(`the schema is larger than ${maxSchemaBytes} bytes.`);
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw fail(`it is neither JSON nor YAML (${firstLine((error as Error).message)}).`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw fail('the schema is not a JSON/YAML object.');
  const record = document as Record<string, unknown>;
  if (typeof record.openapi !== 'string' || !/^3\.\d+(\.\d+)?/.test(record.openapi)) {
    throw fail(`the 'openapi' field must name an OpenAPI 3 version (for example "3.0.0")${record.swagger === undefined ? '' : '; Swagger 2.0 documents are not supported'}.`);
  }
  const external = findExternalReference(record, '');
  if (external) throw fail(`the $ref "${external.ref}" at ${external.at || '/'} points outside the document; only references within the schema (#/...) are supported.`);
  const { validate, compileErrors, dereference } = await import('@readme/openapi-parser');
  const options = { resolve: { external: false } };
  let result: Awaited<ReturnType<typeof validate>>;
  try {
    result = await validate(structuredClone(record) as never, options);
  } catch (error) {
    throw fail(firstLine((error as Error).message));
  }
  if (!result.valid) {
    const problems = result.errors.map((item) => describeProblem(item.message));
    throw fail(problems.length > 0 ? problems.join('; ') : firstLine(compileErrors(result)));
  }
  checkBedrockRules(record, fail);
  try {
    return (await dereference(structuredClone(record) as never, { ...options, dereference: { circular: 'ignore' } })) as unknown as Record<string, unknown>;
  } catch (error) {
    throw fail(firstLine((error as Error).message));
  }
}

/** Bedrock's rules beyond the OpenAPI specification. */
function checkBedrockRules(document: Record<string, unknown>, fail: (problem: string) => OutcropError): void {
  const paths = document.paths as Record<string, unknown> | undefined;
  if (!paths || Object.keys(paths).length === 0) throw fail("the schema defines no paths; an action group needs at least one API operation under 'paths'.");
  for (const [path, item] of Object.entries(paths)) {
    if (typeof item !== 'object' || item === null) continue;
    for (const method of httpMethods) {
      const operation = (item as Record<string, unknown>)[method] as Record<string, unknown> | undefined;
      if (!operation) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (typeof operation.description !== 'string' || operation.description.trim() === '') {
        throw fail(`the operation ${where} has no description; the agent uses it to decide when to call the operation.`);
      }
      const body = operation.requestBody as { content?: Record<string, unknown>; $ref?: string } | undefined;
      if (body && body.$ref === undefined) {
        const types = Object.keys(body.content ?? {});
        const other = types.find((type) => type !== 'application/json');
        if (other !== undefined) throw fail(`the request body of ${where} uses the media type ${other}; only application/json request bodies are supported.`);
      }
    }
  }
}

function findExternalReference(value: unknown, at: string): { ref: string; at: string } | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findExternalReference(item, `${at}/${index}`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && !item.startsWith('#')) return { ref: item, at };
    const found = findExternalReference(item, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (found) return found;
  }
  return undefined;
}

/** The parser's message without its code frame: the rule and the pointer's hint. */
function describeProblem(message: string): string {
  const lines = message.split('\n');
  const hint = lines.find((line) => /^\s*\|\s*\^/.test(line))?.replace(/^\s*\|\s*\^\s*/, '');
  const head = lines[0]?.trim() ?? message;
  return hint ? `${head} (${hint})` : head;
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? text;
}
