/**
 * Outcrop's neutral model interface (version `outcrop.v1`). It is nobody's wire format: services turn
 * Bedrock requests into these calls, providers turn them into their backend's API, and only the edge
 * turns the typed stream parts back into event-stream frames or a model family's native chunks.
 *
 * @example
 * const result = await model.generate({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
 */
export interface LanguageModel {
  readonly specificationVersion: 'outcrop.v1';
  /** provider instance name, e.g. `local-vllm` */
  readonly provider: string;
  /** the upstream model identifier */
  readonly modelId: string;
  readonly capabilities: ModelCapabilities;
  generate(options: CallOptions): Promise<GenerateResult>;
  stream(options: CallOptions): Promise<StreamResult>;
  /** Counts the prompt's input tokens with the backend's own tokenizer. */
  countTokens(options: CallOptions): Promise<number>;
}

export interface ModelCapabilities {
  images: boolean;
  documents: boolean;
  tools: boolean;
  systemPrompt: boolean;
  /**
   * False when the backend cannot be trusted to choose between answering and calling a tool on its
   * own (`toolChoice: auto`), as with small embedded GGUF models that rarely emit a tool call
   * unprompted but follow a forced one exactly. Callers that need a tool call then force it
   * (`required`). Absent means true.
   */
  freeToolChoice?: boolean;
}

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export type Part = (
  | { type: 'text'; text: string }
  | { type: 'image'; format: ImageFormat; data: Uint8Array }
  | { type: 'document'; format: string; name: string; data: Uint8Array }
  | { type: 'reasoning'; text: string; signature?: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'tool-result'; toolCallId: string; toolName?: string; content: ToolResultContent[]; isError: boolean }
) &
  CacheMarker;

/**
 * A prompt-cache checkpoint after this part or tool (Bedrock's `cachePoint` block, Anthropic's
 * `cache_control`): the prompt up to and including it may be cached. Backends without prompt
 * caching ignore it.
 */
export interface CacheMarker {
  cacheControl?: boolean;
}

export type ToolResultContent =
  | { type: 'text'; text: string }
  | { type: 'json'; value: unknown }
  | { type: 'image'; format: ImageFormat; data: Uint8Array };

export interface Message {
  role: Role;
  content: Part[];
}

export interface ToolDefinition extends CacheMarker {
  name: string;
  description?: string;
  /** JSON schema of the input */
  inputSchema: Record<string, unknown>;
}

export type ToolChoice = { type: 'auto' } | { type: 'required' } | { type: 'tool'; toolName: string } | { type: 'none' };

export interface CallOptions {
  prompt: Message[];
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** the text response is one JSON value matching a schema (Bedrock's `outputConfig.textFormat`) */
  responseFormat?: ResponseFormat;
  /**
   * How much the model may reason before it answers (Bedrock's `outputConfig.effort`). Providers map
   * it to the backend's own control (OpenAI's `reasoning_effort`, Anthropic's `output_config.effort`,
   * Gemini's `thinkingLevel`, Ollama's `think`, a thought-token budget in-process, ...), clamped with a
   * warning to the highest level the backend has. Absent: the backend's default.
   */
  reasoningEffort?: ReasoningEffort;
  /** backend-specific fields passed through (Bedrock's `additionalModelRequestFields`) */
  extraBody?: Record<string, unknown>;
  abortSignal?: AbortSignal;
}

/** Reasoning effort levels, lowest first (Bedrock's `outputConfig.effort` values). */
export const reasoningEfforts = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

export type ReasoningEffort = (typeof reasoningEfforts)[number];

/** Whether a request's effort is one of those levels. */
export function isReasoningEffort(value: string): value is ReasoningEffort {
  return (reasoningEfforts as readonly string[]).includes(value);
}

/**
 * Structured output: the model's text is a JSON value that matches `schema` (Bedrock's
 * `outputConfig.textFormat` of type `json_schema`). Providers pass it to the backend's own structured
 * output (OpenAI's `response_format`, Anthropic's `output_config.format`, Gemini's
 * `responseJsonSchema`, Ollama's `format`, ...) or, in-process, enforce it with a grammar.
 */
export interface ResponseFormat {
  type: 'json-schema';
  /** the JSON schema, parsed */
  schema: Record<string, unknown>;
  name?: string;
  description?: string;
  /**
   * for backends that offer the choice (OpenAI-style `strict`): enforce the schema exactly, which
   * limits the schema to what they support (default true); a grammar in-process always enforces it
   */
  strict?: boolean;
  /**
   * the request field that carried the schema, for error messages (for example
   * `response_format.json_schema.schema`); Bedrock's `outputConfig.textFormat.structure.jsonSchema.schema` when not set
   */
  field?: string;
}

export type FinishReason = 'stop' | 'stop-sequence' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export interface Warning {
  setting: string;
  details: string;
}

export interface GenerateResult {
  content: Part[];
  finishReason: FinishReason;
  usage: Usage;
  warnings: Warning[];
  /** the raw upstream response, for `additionalModelResponseFieldPaths` */
  raw?: unknown;
}

/** Typed stream parts, named noun-verb. */
export type StreamPart =
  | { type: 'stream-start'; warnings: Warning[] }
  | { type: 'text-start'; id: string }
  | { type: 'text-delta'; id: string; delta: string }
  | { type: 'text-end'; id: string }
  | { type: 'reasoning-start'; id: string }
  | { type: 'reasoning-delta'; id: string; delta: string }
  | { type: 'reasoning-end'; id: string }
  | { type: 'tool-input-start'; id: string; toolName: string }
  | { type: 'tool-input-delta'; id: string; delta: string }
  | { type: 'tool-input-end'; id: string }
  | { type: 'finish'; finishReason: FinishReason; usage: Usage }
  | { type: 'error'; error: unknown };

export interface StreamResult {
  stream: ReadableStream<StreamPart>;
}
