/**
 * The JSON Schema keywords that structured-output schemas use (OpenAI's strict mode allows little
 * more): type, properties, required, additionalProperties, items, enum, const, anyOf. Returns the
 * problems found, each with its JSON path; empty means the value fits. Other keywords are not checked.
 *
 * @example
 * checkJsonSchema({ rock: 1 }, { type: 'object', properties: { rock: { type: 'string' } } })
 * // ['$.rock: expected string']
 */
export function checkJsonSchema(value: unknown, schema: Record<string, unknown>, path = '$', depth = 0): string[] {
  if (depth > 32) return [];
  const type = schema.type as string | string[] | undefined;
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    if (!types.some((candidate) => hasType(value, candidate))) return [`${path}: expected ${types.join(' or ')}`];
  }
  const problems: string[] = [];
  if ('const' in schema && JSON.stringify(value) !== JSON.stringify(schema.const)) problems.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((item) => JSON.stringify(item) === JSON.stringify(value))) {
    problems.push(`${path}: must be one of ${JSON.stringify(schema.enum)}`);
  }
  const alternatives = (schema.anyOf ?? schema.oneOf) as Record<string, unknown>[] | undefined;
  if (Array.isArray(alternatives) && !alternatives.some((alternative) => checkJsonSchema(value, alternative, path, depth + 1).length === 0)) {
    problems.push(`${path}: matches none of the alternatives`);
  }
  if (Array.isArray(value) && schema.items && typeof schema.items === 'object') {
    for (const [index, item] of value.entries()) problems.push(...checkJsonSchema(item, schema.items as Record<string, unknown>, `${path}[${index}]`, depth + 1));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    for (const key of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      if (!(key in record)) problems.push(`${path}: missing required property '${key}'`);
    }
    for (const [key, item] of Object.entries(record)) {
      const property = properties[key];
      if (property) problems.push(...checkJsonSchema(item, property, `${path}.${key}`, depth + 1));
      else if (schema.additionalProperties === false) problems.push(`${path}: unexpected property '${key}'`);
    }
  }
  return problems;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}
