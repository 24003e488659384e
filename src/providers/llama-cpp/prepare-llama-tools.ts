import type { ChatModelFunctions, GbnfJsonSchema } from 'node-llama-cpp';
import { OutcropError } from '../../core/errors.js';
import type { CallOptions, ToolDefinition, Warning } from '../../core/inference/language-model.js';

/** How tools shape one generation. */
export type PreparedLlamaTools =
  | { mode: 'none'; warnings: Warning[] }
  /** the chat template documents the tools; the model may answer text or call one (its input grammar-constrained) */
  | { mode: 'auto'; functions: ChatModelFunctions; warnings: Warning[] }
  /**
   * a forced tool call: the whole output is JSON under a grammar. `toolName` set: the output is that
   * tool's input; unset: `{"name": ..., "input": ...}` for any of the tools.
   */
  | { mode: 'forced'; schema: GbnfJsonSchema; toolName: string | undefined; instructions: string; warnings: Warning[] };

/**
 * Neutral tools and tool choice to what node-llama-cpp needs. `auto` uses node-llama-cpp's function
 * calling in the model's own syntax. `required` and a named tool constrain the whole response with a
 * grammar built from the tools' JSON schemas (`llama.createGrammarForJsonSchema`), so the output is
 * always a tool call whose input matches the schema, as far as a grammar can enforce it: keywords it
 * cannot (`pattern`, `minimum` on non-integers, ...) produce a warning.
 *
 * @example
 * const prepared = prepareLlamaTools({ prompt, tools, toolChoice: { type: 'tool', toolName: 'get_weather' } });
 * // prepared.mode === 'forced', prepared.schema is get_weather's input schema
 */
export function prepareLlamaTools(options: CallOptions): PreparedLlamaTools {
  const tools = options.tools ?? [];
  const choice = options.toolChoice ?? { type: 'auto' };
  if (tools.length === 0 || choice.type === 'none') return { mode: 'none', warnings: [] };
  const warnings: Warning[] = [];
  const schemas = new Map(tools.map((tool) => [tool.name, toGbnfJsonSchema(tool.inputSchema, `toolConfig.tools.${tool.name}.inputSchema`, warnings)]));
  if (choice.type === 'auto') {
    const functions: Record<string, { description?: string; params: GbnfJsonSchema }> = {};
    for (const tool of tools) functions[tool.name] = { ...(tool.description ? { description: tool.description } : {}), params: schemas.get(tool.name) as GbnfJsonSchema };
    return { mode: 'auto', functions, warnings };
  }
  const named = choice.type === 'tool' ? choice.toolName : tools.length === 1 ? tools[0]?.name : undefined;
  if (named !== undefined) {
    const schema = schemas.get(named);
    if (!schema) throw new OutcropError('ValidationException', `The tool ${named} named in toolChoice is not among the tools in toolConfig.`);
    return { mode: 'forced', schema, toolName: named, instructions: forcedInstructions(tools, named), warnings };
  }
  const schema: GbnfJsonSchema = {
    oneOf: tools.map((tool) => ({ type: 'object', properties: { name: { const: tool.name }, input: schemas.get(tool.name) as GbnfJsonSchema } })),
  };
  return { mode: 'forced', schema, toolName: undefined, instructions: forcedInstructions(tools, undefined), warnings };
}

/** What the model reads before a forced call: the tools, and the exact shape expected. */
function forcedInstructions(tools: ToolDefinition[], toolName: string | undefined): string {
  const listed = tools.filter((tool) => toolName === undefined || tool.name === toolName);
  const lines = ['You can use these tools:'];
  for (const tool of listed) lines.push(`- ${tool.name}${tool.description ? `: ${tool.description}` : ''}\n  input JSON schema: ${JSON.stringify(tool.inputSchema)}`);
  lines.push(
    toolName === undefined
      ? 'Call one of the tools now. Reply with only a JSON object {"name": <tool name>, "input": <tool input>}.'
      : `Call the tool ${toolName} now. Reply with only its input as a JSON object.`,
  );
  return lines.join('\n');
}

const primitiveTypes = new Set(['string', 'number', 'integer', 'boolean', 'null']);
/** Integer ranges up to this size become enums, so the grammar enforces minimum and maximum. */
const maxEnumeratedRange = 1024;

type Primitive = string | number | boolean | null;
const isPrimitive = (value: unknown): value is Primitive => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** Any JSON value, as node-llama-cpp's grammar can express it. */
const anyJson: GbnfJsonSchema = {
  oneOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: { type: ['string', 'number', 'boolean', 'null'] } },
  ],
};

/**
 * A JSON schema (as Bedrock clients send it) in node-llama-cpp's grammar subset: `anyOf` becomes
 * `oneOf`, `definitions` references become `$defs`, small integer ranges become enums, and every
 * property is emitted (optional ones included, which the schema allows).
 */
export function toGbnfJsonSchema(schema: unknown, setting: string, warnings: Warning[]): GbnfJsonSchema {
  const warn = (details: string): void => {
    if (!warnings.some((warning) => warning.setting === setting && warning.details === details)) warnings.push({ setting, details });
  };
  const convert = (node: unknown): GbnfJsonSchema => {
    if (node === true || node === undefined || node === null || typeof node !== 'object' || Array.isArray(node)) return anyJson;
    const s = node as Record<string, unknown>;
    const description = typeof s.description === 'string' ? { description: s.description } : {};
    const defs = convertDefs(s);
    if ('const' in s && isPrimitive(s.const)) return { const: s.const, ...description };
    if (Array.isArray(s.enum) && s.enum.length > 0) {
      const values = s.enum.filter(isPrimitive);
      if (values.length < s.enum.length) warn('enum values that are objects or arrays are not enforced by the llama.cpp grammar');
      if (values.length > 0) return { enum: values, ...description };
    }
    if (typeof s.$ref === 'string') {
      const ref = s.$ref.replace(/^#\/definitions\//, '#/$defs/');
      if (ref.startsWith('#/$defs/')) return { $ref: ref, ...defs, ...description } as GbnfJsonSchema;
      warn(`$ref ${s.$ref} is not supported by the llama.cpp grammar; any JSON value is allowed there`);
      return anyJson;
    }
    const alternatives = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
    if (alternatives) return { oneOf: alternatives.map(convert), ...defs, ...description } as GbnfJsonSchema;
    if (Array.isArray(s.allOf)) {
      const { allOf, ...rest } = s;
      return convert(mergeAll([rest, ...(allOf as unknown[])]));
    }
    const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : inferTypes(s);
    if (types.length === 0) return anyJson;
    if (types.length > 1) {
      if (types.every((type) => type !== 'string' && primitiveTypes.has(type)) && s.minimum === undefined && s.maximum === undefined) {
        return { type: types as ('number' | 'integer' | 'boolean' | 'null')[], ...description };
      }
      return { oneOf: types.map((type) => convert({ ...s, type })), ...description };
    }
    switch (types[0]) {
      case 'object': {
        const properties: Record<string, GbnfJsonSchema> = {};
        for (const [key, value] of Object.entries((s.properties as Record<string, unknown> | undefined) ?? {})) properties[key] = convert(value);
        const additional = s.additionalProperties;
        const open = Object.keys(properties).length === 0 && additional !== false;
        return {
          type: 'object',
          properties,
          ...(open ? { additionalProperties: typeof additional === 'object' && additional !== null ? convert(additional) : true } : {}),
          ...(typeof s.minProperties === 'number' && open ? { minProperties: s.minProperties } : {}),
          ...(typeof s.maxProperties === 'number' && open ? { maxProperties: s.maxProperties } : {}),
          ...defs,
          ...description,
        } as GbnfJsonSchema;
      }
      case 'array': {
        if (s.uniqueItems === true) warn('uniqueItems is not enforced by the llama.cpp grammar');
        const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined;
        return {
          type: 'array',
          ...(tuple ? { prefixItems: tuple.map(convert) } : s.items !== undefined ? { items: convert(s.items) } : { items: anyJson }),
          ...(typeof s.minItems === 'number' ? { minItems: s.minItems } : {}),
          ...(typeof s.maxItems === 'number' ? { maxItems: s.maxItems } : {}),
          ...defs,
          ...description,
        } as GbnfJsonSchema;
      }
      case 'string': {
        if (typeof s.pattern === 'string') warn('pattern is not enforced by the llama.cpp grammar');
        if (s.format === 'date-time' || s.format === 'date' || s.format === 'time') return { type: 'string', format: s.format, ...description };
        return {
          type: 'string',
          ...(typeof s.minLength === 'number' ? { minLength: s.minLength } : {}),
          ...(typeof s.maxLength === 'number' ? { maxLength: s.maxLength } : {}),
          ...description,
        };
      }
      case 'integer': {
        const low = typeof s.minimum === 'number' ? Math.ceil(s.minimum) : typeof s.exclusiveMinimum === 'number' ? Math.floor(s.exclusiveMinimum) + 1 : undefined;
        const high = typeof s.maximum === 'number' ? Math.floor(s.maximum) : typeof s.exclusiveMaximum === 'number' ? Math.ceil(s.exclusiveMaximum) - 1 : undefined;
        if (low !== undefined && high !== undefined && high >= low && high - low < maxEnumeratedRange) {
          return { enum: Array.from({ length: high - low + 1 }, (_, index) => low + index), ...description };
        }
        if (low !== undefined || high !== undefined) warn('minimum and maximum of wide integer ranges are not enforced by the llama.cpp grammar');
        return { type: 'integer', ...description };
      }
      case 'number':
        if (s.minimum !== undefined || s.maximum !== undefined || s.exclusiveMinimum !== undefined || s.exclusiveMaximum !== undefined || s.multipleOf !== undefined) {
          warn('minimum, maximum and multipleOf of numbers are not enforced by the llama.cpp grammar');
        }
        return { type: 'number', ...description };
      case 'boolean':
        return { type: 'boolean', ...description };
      case 'null':
        return { type: 'null', ...description };
      default:
        return anyJson;
    }
  };
  const convertDefs = (s: Record<string, unknown>): { $defs?: Record<string, GbnfJsonSchema> } => {
    const source = (s.$defs ?? s.definitions) as Record<string, unknown> | undefined;
    if (!source || typeof source !== 'object') return {};
    const $defs: Record<string, GbnfJsonSchema> = {};
    for (const [name, def] of Object.entries(source)) $defs[name] = convert(def);
    return { $defs };
  };
  return convert(schema);
}

function inferTypes(s: Record<string, unknown>): string[] {
  if (s.properties !== undefined || s.additionalProperties !== undefined) return ['object'];
  if (s.items !== undefined || s.prefixItems !== undefined) return ['array'];
  if (s.minLength !== undefined || s.maxLength !== undefined || s.pattern !== undefined || s.format !== undefined) return ['string'];
  return [];
}

/** `allOf` folded into one schema: properties and required lists merged, other keywords last one wins. */
function mergeAll(parts: unknown[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  const required = new Set<string>();
  for (const part of parts) {
    if (!part || typeof part !== 'object') continue;
    const { properties: partProperties, required: partRequired, ...rest } = part as Record<string, unknown>;
    Object.assign(merged, rest);
    if (partProperties && typeof partProperties === 'object') Object.assign(properties, partProperties);
    if (Array.isArray(partRequired)) for (const name of partRequired) required.add(String(name));
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}
