import { OutcropError } from '../../errors.js';
import type { Message, Usage } from '../../inference/language-model.js';
import type { AgentEvent } from './agent-events.js';
import { failureTrace, traceEvent } from './agent-trace.js';
import { type PromptSettings, modelCallSettings, traceInferenceConfiguration } from './prompt-settings.js';
import type { AnswerStreamer } from './answer-streamer.js';
import type { TurnContext } from './turn-context.js';

/** One model call of a step outside orchestration (pre-processing, post-processing). */
export interface PromptStepCall {
  /** the `Trace` member the step's traces go in */
  traceMember: 'preProcessingTrace' | 'postProcessingTrace';
  settings: PromptSettings;
  messages: Message[];
  traceId: string;
  /** streamFinalResponse: run the call as a stream, releasing its answer through this streamer */
  streamer?: AnswerStreamer;
}

/** What the model answered, for the step's parser and its `modelInvocationOutput` trace. */
export interface PromptStepAnswer {
  raw: string;
  usage: Usage;
  started: Date;
}

/**
 * Calls the model for one step: the step's own `foundationModel` when its prompt configuration
 * names one (else the agent's), its inference configuration and `additionalModelRequestFields`,
 * traced as Bedrock's `modelInvocationInput` (type, prompt text, inference configuration, creation
 * and parser modes). A model failure is traced as a `failureTrace` and thrown as a
 * `DependencyFailedException` (throttling stays a `ThrottlingException`).
 *
 * @example
 * const answer = yield* callPromptStep(context, { traceMember: 'preProcessingTrace', settings, messages, traceId });
 */
export async function* callPromptStep(context: TurnContext, call: PromptStepCall): AsyncGenerator<AgentEvent, PromptStepAnswer> {
  const { settings } = call;
  const foundationModel = settings.foundationModel ?? context.definition.foundationModel;
  yield traceEvent(context.origin, {
    [call.traceMember]: {
      modelInvocationInput: {
        traceId: call.traceId,
        type: settings.step,
        foundationModel,
        text: promptText(call.messages),
        inferenceConfiguration: traceInferenceConfiguration(settings),
        promptCreationMode: settings.promptCreationMode,
        parserMode: settings.parserMode,
      },
    },
  });
  const started = new Date();
  try {
    const model = settings.foundationModel ? context.resolveModel(settings.foundationModel) : context.model;
    const options = { prompt: call.messages, ...modelCallSettings(settings), abortSignal: context.signal };
    const result = call.streamer ? yield* call.streamer.step(model, options) : await model.generate(options);
    const raw = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    return { raw, usage: result.usage, started };
  } catch (error) {
    if (context.signal.aborted) throw error;
    const message = (error as Error)?.message ?? String(error);
    yield failureTrace(context.origin, call.traceId, `The ${settings.step} step failed: the model ${foundationModel} failed: ${message}`, started);
    throw modelFailure(error, foundationModel);
  }
}

/** The prompt as a trace's `text`: Bedrock's message-API request form, JSON. */
function promptText(messages: Message[]): string {
  const text = (message: Message) => message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  return JSON.stringify({
    system: messages.filter((message) => message.role === 'system').map(text).join('\n'),
    messages: messages.filter((message) => message.role !== 'system').map((message) => ({ role: message.role, content: text(message) })),
  });
}

function modelFailure(error: unknown, foundationModel: string): OutcropError {
  if (OutcropError.isInstance(error) && ['ThrottlingException', 'ValidationException', 'ResourceNotFoundException', 'ServiceQuotaExceededException'].includes(error.code)) return error;
  const message = (error as Error)?.message ?? String(error);
  return new OutcropError('DependencyFailedException', `The foundation model ${foundationModel} failed: ${message}`, { cause: error });
}
