import { OutcropError } from '../../errors.js';
import type { CallOptions } from '../../inference/language-model.js';
import type { AgentDefinition } from '../agent-definition.js';

/** The steps of Bedrock's agent sequence a prompt configuration may apply to (bedrock-agent's `PromptType` plus the runtime's ROUTING_CLASSIFIER). */
export type PromptStep = 'PRE_PROCESSING' | 'ORCHESTRATION' | 'KNOWLEDGE_BASE_RESPONSE_GENERATION' | 'POST_PROCESSING' | 'MEMORY_SUMMARIZATION' | 'ROUTING_CLASSIFIER';

const promptSteps: readonly PromptStep[] = ['PRE_PROCESSING', 'ORCHESTRATION', 'KNOWLEDGE_BASE_RESPONSE_GENERATION', 'POST_PROCESSING', 'MEMORY_SUMMARIZATION', 'ROUTING_CLASSIFIER'];

/** Bedrock's default `promptState` per step: pre- and post-processing are off unless turned on. */
const enabledByDefault: Record<PromptStep, boolean> = {
  PRE_PROCESSING: false,
  ORCHESTRATION: true,
  KNOWLEDGE_BASE_RESPONSE_GENERATION: true,
  POST_PROCESSING: false,
  MEMORY_SUMMARIZATION: true,
  ROUTING_CLASSIFIER: true,
};

/** Bedrock's `InferenceConfiguration` as used for one step. */
export interface InferenceSettings {
  temperature: number;
  topP: number;
  topK?: number;
  maximumLength: number;
  stopSequences: string[];
}

/** Inference settings used when a step's configuration sets none (Bedrock's defaults, less the Claude-specific stop sequences and topK). */
const defaultInference: InferenceSettings = { temperature: 0, topP: 1, maximumLength: 2048, stopSequences: [] };

/** How one step of the agent sequence runs: the agent's prompt configuration for it, with Bedrock's defaults filled in. */
export interface PromptSettings {
  step: PromptStep;
  /** `promptState`: whether the step runs */
  enabled: boolean;
  promptCreationMode: 'DEFAULT' | 'OVERRIDDEN';
  parserMode: 'DEFAULT' | 'OVERRIDDEN';
  /** the `basePromptTemplate` when `promptCreationMode` is OVERRIDDEN */
  template?: string;
  inference: InferenceSettings;
  /** passed to the model as backend-specific request fields */
  additionalModelRequestFields?: Record<string, unknown>;
  /** the model this step uses instead of the agent's */
  foundationModel?: string;
}

interface RawPromptConfiguration {
  promptType?: unknown;
  promptState?: unknown;
  promptCreationMode?: unknown;
  parserMode?: unknown;
  basePromptTemplate?: unknown;
  inferenceConfiguration?: { temperature?: unknown; topP?: unknown; topK?: unknown; maximumLength?: unknown; stopSequences?: unknown };
  additionalModelRequestFields?: unknown;
  foundationModel?: unknown;
}

function rawConfiguration(definition: AgentDefinition, step: PromptStep): RawPromptConfiguration | undefined {
  return definition.promptOverrideConfiguration?.promptConfigurations.find((entry) => entry.promptType === step) as RawPromptConfiguration | undefined;
}

/**
 * The settings one step runs with: `promptState` (Bedrock's default when unset: PRE_PROCESSING and
 * POST_PROCESSING DISABLED, the rest ENABLED), the OVERRIDDEN template, the inference configuration
 * (each member unset falls back to temperature 0, topP 1, maximumLength 2048, no stop sequences),
 * `additionalModelRequestFields` and the step's own `foundationModel`.
 *
 * @example
 * const settings = promptSettings(definition, 'POST_PROCESSING');
 * if (settings.enabled) await model.generate({ prompt, ...modelCallSettings(settings) });
 */
export function promptSettings(definition: AgentDefinition, step: PromptStep): PromptSettings {
  const raw = rawConfiguration(definition, step);
  const inference = raw?.inferenceConfiguration ?? {};
  const settings: PromptSettings = {
    step,
    enabled: raw?.promptState === undefined ? enabledByDefault[step] : raw.promptState === 'ENABLED',
    promptCreationMode: raw?.promptCreationMode === 'OVERRIDDEN' ? 'OVERRIDDEN' : 'DEFAULT',
    parserMode: raw?.parserMode === 'OVERRIDDEN' ? 'OVERRIDDEN' : 'DEFAULT',
    inference: {
      temperature: typeof inference.temperature === 'number' ? inference.temperature : defaultInference.temperature,
      topP: typeof inference.topP === 'number' ? inference.topP : defaultInference.topP,
      ...(typeof inference.topK === 'number' ? { topK: inference.topK } : {}),
      maximumLength: typeof inference.maximumLength === 'number' ? inference.maximumLength : defaultInference.maximumLength,
      stopSequences: Array.isArray(inference.stopSequences) ? inference.stopSequences.filter((value): value is string => typeof value === 'string') : defaultInference.stopSequences,
    },
  };
  if (settings.promptCreationMode === 'OVERRIDDEN' && typeof raw?.basePromptTemplate === 'string') settings.template = raw.basePromptTemplate;
  const extra = raw?.additionalModelRequestFields;
  if (extra && typeof extra === 'object' && !Array.isArray(extra)) settings.additionalModelRequestFields = extra as Record<string, unknown>;
  if (typeof raw?.foundationModel === 'string' && raw.foundationModel) settings.foundationModel = raw.foundationModel;
  return settings;
}

/**
 * The model call options a step's settings make: `maxOutputTokens`, `temperature`, `topP`, `topK`,
 * `stopSequences` and `extraBody` (the `additionalModelRequestFields`).
 *
 * @example
 * await model.generate({ prompt, ...modelCallSettings(promptSettings(definition, 'ORCHESTRATION')), abortSignal });
 */
export function modelCallSettings(settings: PromptSettings): Pick<CallOptions, 'maxOutputTokens' | 'temperature' | 'topP' | 'topK' | 'stopSequences' | 'extraBody'> {
  const { inference } = settings;
  return {
    maxOutputTokens: inference.maximumLength,
    temperature: inference.temperature,
    topP: inference.topP,
    ...(inference.topK === undefined ? {} : { topK: inference.topK }),
    ...(inference.stopSequences.length ? { stopSequences: inference.stopSequences } : {}),
    ...(settings.additionalModelRequestFields ? { extraBody: settings.additionalModelRequestFields } : {}),
  };
}

/** The `inferenceConfiguration` member of a `ModelInvocationInput` trace for these settings. */
export function traceInferenceConfiguration(settings: PromptSettings): Record<string, unknown> {
  const { inference } = settings;
  return {
    maximumLength: inference.maximumLength,
    temperature: inference.temperature,
    topP: inference.topP,
    ...(inference.topK === undefined ? {} : { topK: inference.topK }),
    stopSequences: inference.stopSequences,
  };
}

/**
 * The agent's MEMORY_SUMMARIZATION override for summarizing ended sessions: `'DISABLED'` when its
 * promptState is DISABLED (no summaries are written), undefined without an override, else the
 * template, model call settings and the step's own model.
 *
 * @example
 * const summarization = summarizationPrompt(definition);
 */
export function summarizationPrompt(definition: AgentDefinition): 'DISABLED' | { prompt: { template?: string; call: ReturnType<typeof modelCallSettings> }; foundationModel?: string } | undefined {
  if (!rawConfiguration(definition, 'MEMORY_SUMMARIZATION')) return undefined;
  const settings = promptSettings(definition, 'MEMORY_SUMMARIZATION');
  if (!settings.enabled) return 'DISABLED';
  return {
    prompt: { ...(settings.template ? { template: settings.template } : {}), call: modelCallSettings(settings) },
    ...(settings.foundationModel ? { foundationModel: settings.foundationModel } : {}),
  };
}

/**
 * Bedrock's rules for `promptOverrideConfiguration`, checked before an agent runs: one entry per
 * prompt type, ORCHESTRATION cannot be DISABLED, OVERRIDDEN prompt creation needs a
 * `basePromptTemplate`, an OVERRIDDEN parser needs `overrideLambda`, and inference values within
 * Bedrock's ranges. Parser Lambdas are not run by this server, so an OVERRIDDEN `parserMode` is
 * refused rather than ignored. Throws a `ValidationException` naming the problem.
 *
 * @example
 * validatePromptOverrides(definition); // throws for { promptType: 'ORCHESTRATION', promptState: 'DISABLED' }
 */
export function validatePromptOverrides(definition: Pick<AgentDefinition, 'promptOverrideConfiguration'>): void {
  const configuration = definition.promptOverrideConfiguration;
  if (!configuration) return;
  const seen = new Set<string>();
  for (const [index, entry] of configuration.promptConfigurations.entries()) {
    const raw = entry as RawPromptConfiguration;
    const where = `promptOverrideConfiguration.promptConfigurations.${index}`;
    const type = raw.promptType;
    if (typeof type !== 'string' || !promptSteps.includes(type as PromptStep)) {
      throw invalid(`${where}.promptType must be one of ${promptSteps.join(', ')}; got ${JSON.stringify(type)}.`);
    }
    if (seen.has(type)) throw invalid(`The promptType ${type} appears more than once in promptOverrideConfiguration.promptConfigurations.`);
    seen.add(type);
    if (type === 'ORCHESTRATION' && raw.promptState === 'DISABLED') {
      throw invalid('The ORCHESTRATION prompt cannot be DISABLED: orchestration is the step that answers the user. Set its promptState to ENABLED or leave it out.');
    }
    if (raw.promptCreationMode === 'OVERRIDDEN' && (typeof raw.basePromptTemplate !== 'string' || raw.basePromptTemplate.trim() === '')) {
      throw invalid(`${where} (${type}) has promptCreationMode OVERRIDDEN but no basePromptTemplate.`);
    }
    if (raw.parserMode === 'OVERRIDDEN') {
      if (!configuration.overrideLambda) throw invalid(`${where} (${type}) has parserMode OVERRIDDEN, which needs promptOverrideConfiguration.overrideLambda.`);
      throw invalid(`${where} (${type}) has parserMode OVERRIDDEN: parser Lambda functions are not supported by this server; use parserMode DEFAULT.`);
    }
    checkInference(raw.inferenceConfiguration, `${where}.inferenceConfiguration`);
  }
}

function checkInference(inference: RawPromptConfiguration['inferenceConfiguration'], where: string): void {
  if (!inference) return;
  const range = (name: 'temperature' | 'topP' | 'topK' | 'maximumLength', min: number, max: number, integer: boolean) => {
    const value = inference[name];
    if (value === undefined) return;
    if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw invalid(`${where}.${name} must be ${integer ? 'an integer' : 'a number'} ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}; got ${JSON.stringify(value)}.`);
    }
  };
  range('temperature', 0, 1, false);
  range('topP', 0, 1, false);
  range('topK', 0, 500, true);
  range('maximumLength', 0, Number.MAX_SAFE_INTEGER, true);
  const stops = inference.stopSequences;
  if (stops !== undefined && (!Array.isArray(stops) || stops.length > 4 || stops.some((stop) => typeof stop !== 'string'))) {
    throw invalid(`${where}.stopSequences must be a list of at most 4 strings.`);
  }
}

function invalid(message: string): OutcropError {
  return new OutcropError('ValidationException', message);
}
