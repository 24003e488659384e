/** One OpenAPI operation as an agent tool sees it. */
export interface OpenApiOperation {
  apiPath: string;
  /** upper case, e.g. `GET` */
  httpMethod: string;
  operationId?: string;
  description: string;
  parameters: Array<{ name: string; in: string; required: boolean; description?: string; schema: Record<string, unknown> }>;
  requestBody?: { mediaType: string; required: boolean; schema: Record<string, unknown> };
  /** `x-requireConfirmation: ENABLED` on the operation: the user confirms each call before it runs */
  requireConfirmation?: boolean;
}

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const maxRefDepth = 32;

/**
 * The operations of an OpenAPI 3 document, `$ref`s to the same document resolved (cycles cut at a
 * fixed depth). PrepareAgent has already validated the document; this only reads it.
 *
 * @example
 * const operations = listOpenApiOperations({ openapi: '3.0.0', paths: { '/weather': { get: { operationId: 'getWeather', ... } } } });
 */
export function listOpenApiOperations(document: Record<string, unknown>): OpenApiOperation[] {
  const paths = asRecord(document.paths);
  const operations: OpenApiOperation[] = [];
  for (const [apiPath, rawItem] of Object.entries(paths)) {
    const item = asRecord(resolve(document, rawItem, 0));
    const shared = asArray(item.parameters);
    for (const method of methods) {
      const operation = asRecord(resolve(document, item[method], 0));
      if (Object.keys(operation).length === 0) continue;
      const parameters = [...shared, ...asArray(operation.parameters)].map((raw) => asRecord(resolve(document, raw, 0)));
      const body = asRecord(resolve(document, operation.requestBody, 0));
      const content = asRecord(body.content);
      const mediaType = 'application/json' in content ? 'application/json' : Object.keys(content)[0];
      const description = [operation.summary, operation.description].filter((text): text is string => typeof text === 'string' && text.length > 0).join(' ');
      operations.push({
        apiPath,
        httpMethod: method.toUpperCase(),
        ...(typeof operation.operationId === 'string' ? { operationId: operation.operationId } : {}),
        ...(operation['x-requireConfirmation'] === 'ENABLED' ? { requireConfirmation: true } : {}),
        description: description || `${method.toUpperCase()} ${apiPath}`,
        parameters: parameters
          .filter((parameter) => typeof parameter.name === 'string')
          .map((parameter) => ({
            name: parameter.name as string,
            in: typeof parameter.in === 'string' ? parameter.in : 'query',
            required: parameter.required === true,
            ...(typeof parameter.description === 'string' ? { description: parameter.description } : {}),
            schema: inline(document, parameter.schema ?? { type: 'string' }, 0),
          })),
        ...(mediaType
          ? { requestBody: { mediaType, required: body.required === true, schema: inline(document, asRecord(content[mediaType]).schema ?? { type: 'object' }, 0) } }
          : {}),
      });
    }
  }
  return operations;
}

/** A schema with every `$ref` replaced by its target, nested ones included. */
function inline(document: Record<string, unknown>, value: unknown, depth: number): Record<string, unknown> {
  const resolved = resolve(document, value, depth);
  if (depth > maxRefDepth) return {};
  const schema = asRecord(resolved);
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(schema)) {
    if (key === 'properties' && member && typeof member === 'object') {
      out.properties = Object.fromEntries(Object.entries(member).map(([name, child]) => [name, inline(document, child, depth + 1)]));
    } else if ((key === 'items' || key === 'additionalProperties') && member && typeof member === 'object') {
      out[key] = inline(document, member, depth + 1);
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(member)) {
      out[key] = member.map((child) => inline(document, child, depth + 1));
    } else {
      out[key] = member;
    }
  }
  return out;
}

function resolve(document: Record<string, unknown>, value: unknown, depth: number): unknown {
  let current = value;
  for (let hops = 0; hops <= maxRefDepth - depth; hops++) {
    const ref = asRecord(current).$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return current;
    current = ref
      .slice(2)
      .split('/')
      .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((node, segment) => asRecord(node)[segment], document);
  }
  return {};
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
