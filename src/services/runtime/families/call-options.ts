import type { CallOptions, Message } from '../../../core/inference/language-model.js';
import type { FamilyContext } from './family.js';

type Settings = { [K in Exclude<keyof CallOptions, 'prompt' | 'abortSignal'>]?: CallOptions[K] | undefined };

/**
 * A neutral call from a family's prompt and settings: settings the body left out stay out (so the
 * backend's defaults apply), an empty stop list is no stop list, and the client's abort signal rides along.
 *
 * @example
 * callOptions(prompt, context, { maxOutputTokens: body.max_gen_len, temperature: body.temperature });
 */
export function callOptions(prompt: Message[], context: FamilyContext, settings: Settings): CallOptions {
  const options: CallOptions = { prompt };
  if (context.signal) options.abortSignal = context.signal;
  for (const [key, value] of Object.entries(settings) as [keyof Settings, unknown][]) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (key === 'extraBody' && Object.keys(value as object).length === 0) continue;
    (options as unknown as Record<string, unknown>)[key] = value;
  }
  return options;
}
