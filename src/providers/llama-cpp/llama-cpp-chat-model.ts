import type { ChatHistoryItem, ChatModelFunctions, GbnfJsonSchema, Llama, LlamaChatResponse, LlamaChatResponseChunk, LlamaContextSequence, LlamaGrammar, Token } from 'node-llama-cpp';
import { OutcropError } from '../../core/errors.js';
import type { CallOptions, GenerateResult, LanguageModel, ModelCapabilities, Part, ResponseFormat, StreamPart, StreamResult, Warning } from '../../core/inference/language-model.js';
import { convertToLlamaChat } from './convert-to-llama-chat.js';
import { mapLlamaCppGenerationError } from './llama-cpp-error.js';
import type { ChatResources, LlamaModelPool, ModelHandle } from './llama-cpp-model-pool.js';
import { LlamaResponseWriter } from './llama-response-writer.js';
import { llamaThoughtBudget } from './llama-thought-budget.js';
import { mapLlamaStopReason } from './map-llama-stop-reason.js';
import { type PreparedLlamaTools, prepareLlamaTools, toGbnfJsonSchema } from './prepare-llama-tools.js';
import { rankLlamaSequence, sequenceState } from './rank-llama-sequence.js';

export interface LlamaCppChatSettings {
  /** provider instance name */
  name: string;
  capabilities: ModelCapabilities;
  pool: LlamaModelPool;
}

/** llama.cpp's own sampling defaults, used for settings the request leaves out. */
const samplingDefaults = { temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05 };

/** llama.cpp's JSON-object grammar, per runtime: node-llama-cpp reads and parses its file on every `getGrammarFor`, and a grammar serves any number of generations. */
const jsonObjectGrammars = new WeakMap<Llama, Promise<LlamaGrammar>>();

function jsonObjectGrammar(llama: Llama): Promise<LlamaGrammar> {
  let grammar = jsonObjectGrammars.get(llama);
  if (!grammar) {
    grammar = llama.getGrammarFor('json');
    jsonObjectGrammars.set(llama, grammar);
    // (a failed load is tried again by the next request)
    grammar.catch(() => jsonObjectGrammars.delete(llama));
  }
  return grammar;
}

/** One request made ready: the rendered history, its token count and the tool mode. */
interface PreparedCall {
  history: ChatHistoryItem[];
  tools: PreparedLlamaTools;
  functions: ChatModelFunctions | undefined;
  /** structured output (`responseFormat`): the schema the text is generated under */
  textSchema: GbnfJsonSchema | undefined;
  /** the request field that carried that schema, for errors */
  textSchemaField: string;
  /** JSON mode without a schema (`response_format` `json_object` in `extraBody`): any JSON object */
  jsonObject: boolean;
  promptTokens: Token[];
  warnings: Warning[];
}

/**
 * A chat model running in-process on llama.cpp (node-llama-cpp) from a GGUF file. The prompt is
 * rendered with the chat template in the GGUF's metadata (node-llama-cpp's chat wrapper resolution),
 * tokens are counted with the model's own tokenizer, and tool calls are forced with a JSON-schema
 * grammar when the request requires one. The model loads on the first request.
 *
 * @example
 * const model = provider.languageModel('/models/SmolLM2-135M-Instruct-Q8_0.gguf', capabilities);
 * const { content } = await model.generate({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxOutputTokens: 32 });
 */
export class LlamaCppChatModel implements LanguageModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly capabilities: ModelCapabilities;

  constructor(
    /** the GGUF file's path */
    readonly modelId: string,
    private readonly settings: LlamaCppChatSettings,
  ) {
    this.provider = settings.name;
    this.capabilities = settings.capabilities;
  }

  async countTokens(options: CallOptions): Promise<number> {
    const handle = await this.settings.pool.acquire(this.modelId);
    try {
      const resources = await handle.resident.chat();
      return this.prepare(options, handle, resources).promptTokens.length;
    } finally {
      handle.release();
    }
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const { stream } = await this.stream(options);
    return collectParts(stream);
  }

  async stream(options: CallOptions): Promise<StreamResult> {
    const handle = await this.settings.pool.acquire(this.modelId);
    let lease: Awaited<ReturnType<ChatResources['queue']['acquire']>> | undefined;
    try {
      const resources = await handle.resident.chat();
      const call = this.prepare(options, handle, resources);
      if (call.promptTokens.length >= resources.contextSize) {
        throw new OutcropError(
          'ValidationException',
          `The prompt is ${call.promptTokens.length} tokens, more than this model's context of ${resources.contextSize} tokens (the llama-cpp provider's contextSize).`,
        );
      }
      const grammar =
        call.tools.mode === 'forced'
          ? await this.grammar(handle, call.tools.schema, 'The tool input schema')
          : call.textSchema
            ? await this.grammar(handle, call.textSchema, `The schema of ${call.textSchemaField}`)
            : call.jsonObject
              ? await jsonObjectGrammar(handle.resident.runtime.llama)
              : undefined;
      // a sequence that holds this conversation's earlier turns evaluates only the new tokens
      lease = await resources.queue.acquire(options.abortSignal, (sequence) => rankLlamaSequence(sequenceState(sequence, call.promptTokens), call.promptTokens.length));
      const held = lease;
      const abort = new AbortController();
      const onClientAbort = () => abort.abort(options.abortSignal?.reason);
      options.abortSignal?.addEventListener('abort', onClientAbort, { once: true });
      let closed = false;
      const stream = new ReadableStream<StreamPart>({
        start: (controller) => {
          const emit = (part: StreamPart) => {
            if (!closed) controller.enqueue(part);
          };
          emit({ type: 'stream-start', warnings: call.warnings });
          this.run(options, call, handle, resources, held.slot, grammar, abort.signal, emit)
            .catch((error: unknown) => emit({ type: 'error', error: mapLlamaCppGenerationError(error, abort.signal) }))
            .finally(() => {
              options.abortSignal?.removeEventListener('abort', onClientAbort);
              held.release();
              handle.release();
              if (!closed) {
                closed = true;
                controller.close();
              }
            });
        },
        cancel: (reason) => {
          closed = true;
          abort.abort(reason);
        },
      });
      return { stream };
    } catch (error) {
      lease?.release();
      handle.release();
      throw error;
    }
  }

  /** The grammar a forced tool call or structured output is generated under; `what` names the schema in the error. */
  private async grammar(handle: ModelHandle, schema: GbnfJsonSchema, what: string): Promise<LlamaGrammar> {
    try {
      // (the schema is built at runtime, so node-llama-cpp's schema-to-type inference has nothing to infer)
      return await handle.resident.runtime.llama.createGrammarForJsonSchema(schema as never);
    } catch (error) {
      throw new OutcropError('ValidationException', `${what} cannot be enforced by llama.cpp's grammar: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Renders the request with the model's chat template and counts its tokens. */
  private prepare(options: CallOptions, handle: ModelHandle, resources: ChatResources): PreparedCall {
    const tools = prepareLlamaTools(options);
    let history = convertToLlamaChat(options.prompt);
    const warnings = [...tools.warnings];
    if (tools.mode === 'forced') history = withSystemText(history, tools.instructions);
    // (a forced tool call writes no text, so a text format has nothing to shape)
    const format = tools.mode === 'forced' ? undefined : options.responseFormat;
    const formatField = format?.field ?? 'outputConfig.textFormat.structure.jsonSchema.schema';
    if (format && tools.mode === 'auto') {
      throw new OutcropError(
        'ValidationException',
        `The llama-cpp provider cannot combine a structured output schema (${formatField}) with tools the model may choose to call (toolChoice auto, or tool_choice "auto"): llama.cpp's grammar constrains either the text or the tool calls. Force a tool (toolChoice any or tool; tool_choice "required" or a named function) or drop one of them.`,
      );
    }
    const textSchema = format ? toGbnfJsonSchema(format.schema, formatField, warnings) : undefined;
    if (format) history = withSystemText(history, formatInstructions(format));
    const functions = tools.mode === 'auto' ? tools.functions : undefined;
    const { contextText } = resources.chatWrapper.generateContextState({ chatHistory: history, ...(functions ? { availableFunctions: functions, documentFunctionParams: true } : {}) });
    // OpenAI-style JSON mode (the OpenAI-compatible front door passes it on): text under llama.cpp's JSON-object grammar
    const jsonMode = (options.extraBody?.response_format as { type?: unknown } | undefined)?.type === 'json_object';
    const jsonObject = jsonMode && !format && tools.mode === 'none';
    if (jsonMode && tools.mode === 'auto') {
      warnings.push({ setting: 'response_format', details: 'not enforced by the llama-cpp provider while the model may call tools; the text is not constrained' });
    }
    for (const key of Object.keys(options.extraBody ?? {})) {
      if (key === 'response_format' && jsonMode) continue;
      if (!['seed', 'min_p', 'top_k'].includes(key)) warnings.push({ setting: `additionalModelRequestFields.${key}`, details: 'not supported by the llama-cpp provider; ignored' });
    }
    return { history, tools, functions, textSchema, textSchemaField: formatField, jsonObject, promptTokens: contextText.tokenize(handle.resident.model.tokenizer), warnings };
  }

  private async run(
    options: CallOptions,
    call: PreparedCall,
    handle: ModelHandle,
    resources: ChatResources,
    sequence: LlamaContextSequence,
    grammar: LlamaGrammar | undefined,
    signal: AbortSignal,
    emit: (part: StreamPart) => void,
  ): Promise<void> {
    const { module } = handle.resident.runtime;
    const forced = call.tools.mode === 'forced' ? (call.tools.toolName ?? null) : undefined;
    const writer = new LlamaResponseWriter(emit, forced, call.textSchema !== undefined || call.jsonObject);
    const chat = new module.LlamaChat({ contextSequence: sequence, chatWrapper: resources.chatWrapper, autoDisposeSequence: false });
    const meter = sequence.tokenMeter.getState();
    const extra = options.extraBody ?? {};
    const sampling = {
      temperature: options.temperature ?? samplingDefaults.temperature,
      topK: options.topK ?? (typeof extra.top_k === 'number' ? extra.top_k : samplingDefaults.topK),
      topP: options.topP ?? samplingDefaults.topP,
      minP: typeof extra.min_p === 'number' ? extra.min_p : samplingDefaults.minP,
      ...(typeof extra.seed === 'number' ? { seed: extra.seed } : {}),
    };
    let result: LlamaChatResponse<ChatModelFunctions | undefined>;
    // llama.cpp's grammar engine reads UTF-8 leniently, so a grammar could accept bytes that decode to U+FFFD in a
    // schema-bound string; output no grammar constrains needs no guard (its bias costs a pass over the vocabulary
    // at every step in the middle of a character)
    const utf8 = grammar || call.functions ? resources.utf8Guard.watch(sequence) : undefined;
    const step = resources.stepBarrier.watch(sequence);
    // (a decode about to start waits for this prompt if it is handled in the same event-loop turn)
    resources.decodeSchedule.noteArrival();
    try {
      // never past the context: llama.cpp would shift it, silently dropping the conversation's start
      const maxTokens = Math.min(options.maxOutputTokens ?? Number.POSITIVE_INFINITY, resources.contextSize - call.promptTokens.length);
      const budgets = llamaThoughtBudget(options.reasoningEffort, maxTokens);
      const common = {
        ...sampling,
        signal,
        stopOnAbortSignal: true,
        maxTokens,
        // a reasoning effort is a budget of thought tokens, a share of maxTokens
        ...(budgets ? { budgets } : {}),
        ...(options.stopSequences?.length ? { customStopTriggers: options.stopSequences } : {}),
        ...(utf8 ? { tokenBias: utf8.bias } : {}),
        onResponseChunk: (chunk: LlamaChatResponseChunk) => {
          if (chunk.type === 'segment') writer.reasoning(chunk.text, chunk.segmentEndTime !== undefined);
          else writer.text(chunk.text);
        },
      };
      result = call.functions
        ? await chat.generateResponse(call.history, {
            ...common,
            functions: call.functions,
            documentFunctionParams: true,
            onFunctionCallParamsChunk: (chunk) => writer.functionCallChunk(chunk.callIndex, chunk.functionName, chunk.paramsChunk, chunk.done),
          })
        : await chat.generateResponse(call.history, { ...common, ...(grammar ? { grammar } : {}) });
    } finally {
      step.dispose();
      utf8?.dispose();
      chat.dispose({ disposeSequence: false });
    }
    if (signal.aborted) return;
    writer.completeFunctionCalls(result.functionCalls ?? []);
    const used = sequence.tokenMeter.diff(meter);
    const finishReason =
      forced !== undefined
        ? writer.forcedComplete
          ? 'tool-calls'
          : 'length'
        : writer.calledFunctions > 0
          ? 'tool-calls'
          : mapLlamaStopReason(result.metadata.stopReason);
    writer.finish(finishReason, { inputTokens: call.promptTokens.length, outputTokens: used.usedOutputTokens });
  }
}

/** What the model reads before structured output: the schema, and that the reply is only the JSON value. */
function formatInstructions(format: ResponseFormat): string {
  const about = [format.name, format.description].filter(Boolean).join(': ');
  return `Reply with only a JSON value${about ? ` (${about})` : ''} that matches this JSON schema: ${JSON.stringify(format.schema)}`;
}

/** Adds text to the system message (creating one), so a forced call's instructions reach the model. */
function withSystemText(history: ChatHistoryItem[], text: string): ChatHistoryItem[] {
  const [first, ...rest] = history;
  if (first?.type === 'system' && typeof first.text === 'string') return [{ type: 'system', text: `${first.text}\n\n${text}` }, ...rest];
  return [{ type: 'system', text }, ...history];
}

/** Reads a part stream into a complete result (how `generate` shares `stream`'s code path). */
async function collectParts(stream: ReadableStream<StreamPart>): Promise<GenerateResult> {
  const content: Part[] = [];
  const tools = new Map<string, { name: string; input: string }>();
  const reader = stream.getReader();
  let warnings: Warning[] = [];
  for (;;) {
    const { done, value: part } = await reader.read();
    if (done) throw new OutcropError('ModelErrorException', 'The model stopped without finishing its response.');
    switch (part.type) {
      case 'stream-start':
        warnings = part.warnings;
        break;
      case 'text-delta': {
        const last = content.at(-1);
        if (last?.type === 'text') last.text += part.delta;
        else content.push({ type: 'text', text: part.delta });
        break;
      }
      case 'reasoning-delta': {
        const last = content.at(-1);
        if (last?.type === 'reasoning') last.text += part.delta;
        else content.push({ type: 'reasoning', text: part.delta });
        break;
      }
      case 'tool-input-start':
        tools.set(part.id, { name: part.toolName, input: '' });
        break;
      case 'tool-input-delta': {
        const tool = tools.get(part.id);
        if (tool) tool.input += part.delta;
        break;
      }
      case 'tool-input-end': {
        const tool = tools.get(part.id);
        if (tool) content.push({ type: 'tool-call', toolCallId: part.id, toolName: tool.name, input: parseInput(tool.input) });
        break;
      }
      case 'finish':
        return { content, finishReason: part.finishReason, usage: part.usage, warnings };
      case 'error':
        throw part.error;
      default:
        break;
    }
  }
}

/** Tool input JSON; an input cut off by the token limit (finish reason `length`) becomes `{}`. */
function parseInput(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}
