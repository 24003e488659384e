import { OutcropError } from '../../errors.js';
import type { EmbeddingModel } from '../../inference/embedding-model.js';
import type { CallOptions, GenerateResult, LanguageModel, StreamPart } from '../../inference/language-model.js';
import type { Deployment, RouterEnvironment, RoutingPolicy } from './routing-policy.js';
import { seededRandom } from '../../../../test/support/seeded-random.js';

/** A fake clock whose sleeps advance time at once and are recorded. */
export function fakeEnvironment(seed = 7): RouterEnvironment & { sleeps: number[]; advance(ms: number): void; failovers: string[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const failovers: string[] = [];
  return {
    now: () => now,
    random: seededRandom(seed),
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
    },
    advance(ms) {
      now += ms;
    },
    onFailover: (event) => failovers.push(event.deployment),
    sleeps,
    failovers,
  };
}

export const testPolicy: RoutingPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2000, maxRetryDelayMs: 5000, failureThreshold: 3, cooldownMs: 1000 };

/** What one call to a scripted model does. */
export type Behaviour =
  | 'ok'
  /** streams: an error part right after `stream-start` */
  | 'error-first'
  /** streams: one text delta, then an error part */
  | 'error-after-text'
  | OutcropError
  /** waits for the call's abort signal */
  | 'hang';

export const unavailable = () => new OutcropError('ServiceUnavailableException', 'The model backend is unavailable: 503');
export const throttled = (retryAfterSeconds?: number) =>
  new OutcropError('ThrottlingException', 'The model backend is throttling requests', retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
export const timedOut = () => new OutcropError('ModelTimeoutException', 'The model backend did not answer in time.');
export const serverFault = () => new OutcropError('ModelErrorException', 'The model backend failed with status 500', { fields: { originalStatusCode: 500 } });
export const invalid = () => new OutcropError('ValidationException', 'The model returned the following errors: bad');

/** A language model that follows a script, one behaviour per call ('ok' once the script runs out). */
export function scriptedModel(name: string, script: Behaviour[] = []): LanguageModel & { calls: number } {
  const capabilities = { images: false, documents: false, tools: true, systemPrompt: true };
  const next = async (options: CallOptions): Promise<Behaviour> => {
    model.calls++;
    const behaviour = script.shift() ?? 'ok';
    if (behaviour === 'hang') {
      await new Promise((_, reject) => options.abortSignal?.addEventListener('abort', () => reject(options.abortSignal?.reason)));
    }
    if (OutcropError.isInstance(behaviour)) throw behaviour;
    return behaviour;
  };
  const model = {
    specificationVersion: 'outcrop.v1' as const,
    provider: name,
    modelId: name,
    capabilities,
    calls: 0,
    async generate(options: CallOptions): Promise<GenerateResult> {
      await next(options);
      return { content: [{ type: 'text', text: `from ${name}` }], finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 2 }, warnings: [] };
    },
    async stream(options: CallOptions) {
      const behaviour = await next(options);
      const parts: StreamPart[] = [{ type: 'stream-start', warnings: [] }];
      if (behaviour === 'error-first') parts.push({ type: 'error', error: unavailable() });
      else {
        parts.push({ type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', delta: `from ${name}` });
        if (behaviour === 'error-after-text') parts.push({ type: 'error', error: new OutcropError('ModelStreamErrorException', 'The model backend failed mid-stream') });
        else parts.push({ type: 'text-end', id: 't' }, { type: 'finish', finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 2 } });
      }
      const stream = new ReadableStream<StreamPart>({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      });
      return { stream };
    },
    async countTokens(options: CallOptions) {
      await next(options);
      return 5;
    },
  };
  return model;
}

/** An embedding model that follows a script like `scriptedModel`. */
export function scriptedEmbeddingModel(name: string, script: Behaviour[] = []): EmbeddingModel & { calls: number } {
  const model = {
    specificationVersion: 'outcrop.v1' as const,
    provider: name,
    modelId: name,
    dimensions: 4,
    maxBatchSize: name === 'small' ? 2 : 8,
    calls: 0,
    async embed(options: { values: string[] }) {
      model.calls++;
      const behaviour = script.shift() ?? 'ok';
      if (OutcropError.isInstance(behaviour)) throw behaviour;
      return { embeddings: options.values.map(() => [name.length, 0, 0, 0]), usage: { inputTokens: options.values.length } };
    },
  };
  return model;
}

export function deployment<M>(model: M & { provider: string }, settings: { weight?: number; priority?: number } = {}): Deployment<M> {
  return { name: model.provider, provider: model.provider, upstreamModel: model.provider, weight: settings.weight ?? 1, priority: settings.priority ?? 0, model };
}

export const prompt: CallOptions = { prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };

/** Every part of a stream. */
export async function readAll(stream: ReadableStream<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream as unknown as AsyncIterable<StreamPart>) parts.push(part);
  return parts;
}
