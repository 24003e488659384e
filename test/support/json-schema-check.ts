/**
 * A small JSON Schema check for tests (type, properties, required, additionalProperties, enum, const,
 * items, string length, number range, anyOf/oneOf). Returns the problems found; empty means valid.
 *
 * @example
 * assert.deepEqual(checkJsonSchema({ rock: 'granite' }, { type: 'object', required: ['rock'] }), []);
 */
export function checkJsonSchema(value: unknown, schema: Record<string, unknown>, path = '$'): string[] {
  const problems: string[] = [];
  const type = schema.type as string | string[] | undefined;
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    if (!types.some((candidate) => matchesType(value, candidate))) return [`${path}: expected ${types.join(' or ')}, got ${JSON.stringify(value)}`];
  }
  if ('const' in schema && value !== schema.const) problems.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((item) => item === value)) problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  const alternatives = (schema.anyOf ?? schema.oneOf) as Record<string, unknown>[] | undefined;
  if (alternatives && !alternatives.some((alternative) => checkJsonSchema(value, alternative, path).length === 0)) problems.push(`${path}: matches none of the alternatives`);
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) problems.push(`${path}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) problems.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) problems.push(`${path}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) problems.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items && typeof schema.items === 'object') {
      value.forEach((item, index) => {
        problems.push(...checkJsonSchema(item, schema.items as Record<string, unknown>, `${path}[${index}]`));
      });
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    for (const name of (schema.required as string[] | undefined) ?? []) if (!(name in record)) problems.push(`${path}.${name}: required`);
    for (const [name, item] of Object.entries(record)) {
      const propertySchema = properties[name];
      if (propertySchema) problems.push(...checkJsonSchema(item, propertySchema, `${path}.${name}`));
      else if (schema.additionalProperties === false) problems.push(`${path}.${name}: not allowed`);
    }
  }
  return problems;
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}
