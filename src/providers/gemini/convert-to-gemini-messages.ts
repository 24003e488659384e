import { OutcropError } from '../../core/errors.js';
import type { CallOptions, Message, ModelCapabilities, Part, ReasoningEffort, ToolResultContent, Warning } from '../../core/inference/language-model.js';
import { isPlainObject } from '../../protocol/shape-reader.js';
import { clampReasoningEffort } from '../shared/reasoning-effort.js';

export type GeminiPart =
  | { text: string }
  | { inlineData: { mimeType: string; data: string } }
  | { functionCall: { name: string; args: unknown } }
  | { functionResponse: { name: string; response: Record<string, unknown> } };

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiPrompt {
  systemInstruction?: { parts: { text: string }[] };
  contents: GeminiContent[];
}

const documentTypes: Record<string, string> = { pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', html: 'text/html' };

/**
 * Neutral prompt to Gemini's `contents` (roles `user` and `model`) and `systemInstruction`. Tool
 * results become `functionResponse` parts named after the call they answer (Gemini matches by name,
 * not ID); earlier reasoning is not sent back. Cache markers are ignored.
 */
export function convertToGeminiMessages(prompt: Message[], capabilities: ModelCapabilities): GeminiPrompt {
  const toolNames = new Map<string, string>();
  for (const message of prompt) for (const part of message.content) if (part.type === 'tool-call') toolNames.set(part.toolCallId, part.toolName);
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  for (const message of prompt) {
    if (message.role === 'system') {
      for (const part of message.content) if (part.type === 'text') system.push({ text: part.text });
      continue;
    }
    const role = message.role === 'assistant' ? 'model' : 'user';
    const parts: GeminiPart[] = [];
    for (const part of message.content) {
      const converted = role === 'model' ? modelPart(part) : userPart(part, capabilities, toolNames);
      if (converted) parts.push(converted);
    }
    if (parts.length === 0) continue;
    const previous = contents.at(-1);
    if (previous?.role === role) previous.parts.push(...parts);
    else contents.push({ role, parts });
  }
  return system.length ? { systemInstruction: { parts: system }, contents } : { contents };
}

function userPart(part: Part, capabilities: ModelCapabilities, toolNames: Map<string, string>): GeminiPart | null {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'image':
      if (!capabilities.images) throw new OutcropError('ValidationException', "This model doesn't support image content blocks.");
      return inline(`image/${part.format}`, part.data);
    case 'document': {
      if (!capabilities.documents) throw new OutcropError('ValidationException', "This model doesn't support document content blocks.");
      const mimeType = documentTypes[part.format];
      if (!mimeType) throw new OutcropError('ValidationException', `This model doesn't support ${part.format} documents; send pdf, txt, md, csv or html.`);
      return inline(mimeType, part.data);
    }
    case 'tool-result': {
      const name = part.toolName ?? toolNames.get(part.toolCallId);
      if (!name) throw new OutcropError('ValidationException', `The toolResult ${part.toolCallId} answers no toolUse in the conversation.`);
      return { functionResponse: { name, response: { [part.isError ? 'error' : 'output']: toolResultValue(part.content) } } };
    }
    default:
      return null;
  }
}

function modelPart(part: Part): GeminiPart | null {
  if (part.type === 'text') return part.text ? { text: part.text } : null;
  if (part.type === 'tool-call') return { functionCall: { name: part.toolName, args: part.input ?? {} } };
  return null;
}

/** One JSON result is passed as it is; anything else as text. */
function toolResultValue(content: ToolResultContent[]): unknown {
  const [only] = content;
  if (content.length === 1 && only?.type === 'json') return only.value;
  return content.map((item) => (item.type === 'text' ? item.text : item.type === 'json' ? JSON.stringify(item.value) : '[image]')).join('\n');
}

function inline(mimeType: string, data: Uint8Array): GeminiPart {
  return { inlineData: { mimeType, data: Buffer.from(data).toString('base64') } };
}

/** Neutral tools and tool choice to Gemini's `tools[].functionDeclarations` and `toolConfig.functionCallingConfig`. */
export function prepareGeminiTools(options: CallOptions): Record<string, unknown> {
  if (!options.tools?.length) return {};
  const functionDeclarations = options.tools.map((tool) => {
    const parameters = toGeminiSchema(tool.inputSchema);
    return { name: tool.name, ...(tool.description ? { description: tool.description } : {}), ...(hasProperties(parameters) ? { parameters } : {}) };
  });
  const choice = options.toolChoice;
  const functionCallingConfig =
    choice?.type === 'required'
      ? { mode: 'ANY' }
      : choice?.type === 'tool'
        ? { mode: 'ANY', allowedFunctionNames: [choice.toolName] }
        : choice?.type === 'none'
          ? { mode: 'NONE' }
          : choice?.type === 'auto'
            ? { mode: 'AUTO' }
            : undefined;
  return { tools: [{ functionDeclarations }], ...(functionCallingConfig ? { toolConfig: { functionCallingConfig } } : {}) };
}

function hasProperties(schema: unknown): boolean {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties !== undefined && Object.keys(properties).length > 0;
}

/** JSON Schema keywords Gemini's OpenAPI-subset `Schema` accepts. */
const schemaKeywords = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
]);

/**
 * JSON Schema to Gemini's OpenAPI 3.0 subset: unsupported keywords (`$schema`, `additionalProperties`,
 * `$ref`, ...) are dropped, `type: [T, "null"]` becomes `type: T, nullable: true`, `const` an enum.
 */
export function toGeminiSchema(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (!schemaKeywords.has(key)) continue;
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, toGeminiSchema(property)]));
    } else if (key === 'items') out.items = toGeminiSchema(value);
    else if (key === 'anyOf' && Array.isArray(value)) out.anyOf = value.map(toGeminiSchema);
    else if (key === 'type' && Array.isArray(value)) {
      const types = value.filter((type) => type !== 'null');
      if (types.length === 1) out.type = types[0];
      if (types.length !== value.length) out.nullable = true;
    } else out[key] = value;
  }
  if ('const' in source) out.enum = [source.const];
  return out;
}

/**
 * A neutral reasoning effort as Gemini's `thinkingConfig.thinkingLevel` (Gemini 3 and later): low,
 * medium and high as they are (Gemini 3 Pro has only low and high, and answers medium with a 400;
 * Gemini 3 Flash and later models take all three), xhigh and max as high, its highest, with a
 * warning. Merged with a `thinkingConfig` the caller passed in `generationConfig`; one that already
 * sets `thinkingLevel` or `thinkingBudget` (Gemini 2.5's control, which Gemini refuses beside a
 * level) wins as it is, as does one that is not an object: `undefined` then.
 */
export function prepareGeminiThinkingConfig(effort: ReasoningEffort, given: unknown, warnings: Warning[]): Record<string, unknown> | undefined {
  if (given !== undefined && !isPlainObject(given)) return undefined;
  const config = (given ?? {}) as Record<string, unknown>;
  if (config.thinkingLevel !== undefined || config.thinkingBudget !== undefined) return undefined;
  return { thinkingLevel: clampReasoningEffort(effort, ['low', 'medium', 'high'], "Gemini's thinkingLevel", warnings), ...config };
}
