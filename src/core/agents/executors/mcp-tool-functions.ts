import type { FunctionDefinition } from '../agent-definition.js';
import type { ActionParameter } from './action-executor.js';

/** An MCP tool as `tools/list` returns it (the parts read here). */
export interface McpToolDescription {
  name: string;
  description?: string | undefined;
  inputSchema: { type?: string; properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>;
}

type BedrockParameterType = 'string' | 'number' | 'integer' | 'boolean' | 'array';

/** An MCP tool turned into a Bedrock function, with what is needed to call the tool back. */
export interface McpFunction {
  definition: FunctionDefinition;
  /** the tool's own name (Bedrock function names allow letters, digits, `_` and `-` only) */
  toolName: string;
  /** each parameter's JSON Schema type, to turn Bedrock's text values back into JSON */
  parameterTypes: Record<string, string>;
}

/**
 * Turns MCP tools into Bedrock function-schema functions: names made valid for Bedrock (other
 * characters become `_`; clashes get a number), each top-level property a parameter with its
 * description and `required`. Bedrock has no object parameters, so `object` (and unknown) types are
 * offered as JSON text and parsed back by {@link toMcpArguments}.
 *
 * @example
 * const functions = mcpToolsToFunctions((await client.listTools()).tools);
 */
export function mcpToolsToFunctions(tools: readonly McpToolDescription[]): McpFunction[] {
  const used = new Set<string>();
  return tools.map((tool) => {
    const base = tool.name.replace(/[^0-9A-Za-z_-]/g, '_').replace(/^[_-]+/, '').slice(0, 64) || 'tool';
    let name = base;
    for (let index = 2; used.has(name); index++) name = `${base.slice(0, 60)}_${index}`;
    used.add(name);
    const required = new Set(tool.inputSchema.required ?? []);
    const parameters: NonNullable<FunctionDefinition['parameters']> = {};
    const parameterTypes: Record<string, string> = {};
    for (const [parameter, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
      const property = (schema ?? {}) as { type?: unknown; description?: unknown };
      const jsonType = Array.isArray(property.type) ? String(property.type.find((type) => type !== 'null') ?? 'string') : String(property.type ?? 'object');
      const type: BedrockParameterType = jsonType === 'number' || jsonType === 'integer' || jsonType === 'boolean' || jsonType === 'array' ? jsonType : 'string';
      const description = typeof property.description === 'string' ? property.description : undefined;
      const asJson = jsonType !== 'string' && type === 'string' ? 'A JSON value.' : undefined;
      const text = [description, asJson].filter(Boolean).join(' ');
      parameters[parameter] = { type, ...(text ? { description: text } : {}), required: required.has(parameter) };
      parameterTypes[parameter] = jsonType;
    }
    const definition: FunctionDefinition = { name, ...(tool.description ? { description: tool.description.slice(0, 1200) } : {}), parameters };
    return { definition, toolName: tool.name, parameterTypes };
  });
}

/**
 * Bedrock's text parameter values as the JSON arguments an MCP tool expects, by each parameter's
 * JSON Schema type (`"3"` → 3, `"true"` → true, `"[1,2]"` → [1, 2]). A value that does not read as
 * its type is passed as text, for the server's own validation to name.
 *
 * @example
 * toMcpArguments([{ name: 'a', type: 'number', value: '2' }], { a: 'number' }) // { a: 2 }
 */
export function toMcpArguments(parameters: readonly ActionParameter[], parameterTypes: Record<string, string>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const parameter of parameters) {
    const type = parameterTypes[parameter.name] ?? parameter.type;
    result[parameter.name] = readValue(parameter.value, type);
  }
  return result;
}

function readValue(value: string, type: string): unknown {
  switch (type) {
    case 'string':
      return value;
    case 'number':
    case 'integer': {
      const number = Number(value);
      return value.trim() !== '' && Number.isFinite(number) ? number : value;
    }
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    default:
      try {
        return JSON.parse(value);
      } catch {
        return type === 'array' ? value.replace(/^\[|\]$/g, '').split(',').map((item) => item.trim()).filter((item) => item !== '') : value;
      }
  }
}
