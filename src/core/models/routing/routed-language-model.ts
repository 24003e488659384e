import { OutcropError } from '../../errors.js';
import type { CallOptions, GenerateResult, LanguageModel, ModelCapabilities, StreamPart, StreamResult } from '../../inference/language-model.js';
import { type Attempt, DeploymentRouter } from './deployment-router.js';
import type { Deployment, RouterEnvironment, RoutingPolicy } from './routing-policy.js';

/**
 * A language model served by several deployments (providers or upstream models). Calls go to one
 * picked by priority tier and weight; a retryable failure before anything reached the client
 * moves the call to the next deployment unseen. A stream commits to its deployment with its first
 * part after `stream-start`: a failure after that flows on to the client as the stream's error.
 *
 * @example
 * const model = new RoutedLanguageModel('llama-3.1-8b', capabilities, [primary, secondary], defaultRoutingPolicy, systemRouterEnvironment);
 * const { stream } = await model.stream({ prompt });
 */
export class RoutedLanguageModel implements LanguageModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly router: DeploymentRouter<LanguageModel>;

  constructor(
    readonly modelId: string,
    readonly capabilities: ModelCapabilities,
    deployments: Deployment<LanguageModel>[],
    policy: RoutingPolicy,
    environment: RouterEnvironment,
  ) {
    this.router = new DeploymentRouter(modelId, deployments, policy, environment);
    this.provider = [...new Set(deployments.map((deployment) => deployment.provider))].join('|');
  }

  generate(options: CallOptions): Promise<GenerateResult> {
    return this.router.run(({ deployment }) => deployment.model.generate(options), options.abortSignal);
  }

  countTokens(options: CallOptions): Promise<number> {
    return this.router.run(({ deployment }) => deployment.model.countTokens(options), options.abortSignal);
  }

  stream(options: CallOptions): Promise<StreamResult> {
    return this.router.run(async (attempt) => ({ stream: await commitStream(await attempt.deployment.model.stream(options), attempt) }), options.abortSignal);
  }
}

/**
 * Reads a deployment's stream up to its first part after `stream-start`. A failure before that
 * rejects (so the router can fail over); after it, the parts held so far and the rest of the
 * stream go to the client as they come, and a later error part is only recorded against the
 * deployment's health once the stream ends.
 */
async function commitStream(result: StreamResult, attempt: Attempt<LanguageModel>): Promise<ReadableStream<StreamPart>> {
  const reader = result.stream.getReader();
  const held: StreamPart[] = [];
  for (;;) {
    let step: Awaited<ReturnType<typeof reader.read>>;
    try {
      step = await reader.read();
    } catch (error) {
      throw asStreamError(error);
    }
    if (step.done) throw new OutcropError('ModelStreamErrorException', 'The model stream ended before it produced anything.');
    if (step.value.type === 'error') {
      reader.cancel().catch(() => {});
      throw asStreamError(step.value.error);
    }
    held.push(step.value);
    if (step.value.type !== 'stream-start') break;
  }
  const settle = attempt.defer();
  return new ReadableStream<StreamPart>(
    {
      async pull(controller) {
        const part = held.shift();
        if (part) {
          controller.enqueue(part);
          return;
        }
        let step: Awaited<ReturnType<typeof reader.read>>;
        try {
          step = await reader.read();
        } catch (error) {
          settle.failed(error);
          throw error;
        }
        if (step.done) {
          settle.succeeded();
          controller.close();
          return;
        }
        if (step.value.type === 'error') settle.failed(step.value.error);
        else if (step.value.type === 'finish') settle.succeeded();
        controller.enqueue(step.value);
      },
      cancel: (reason) => {
        settle.abandoned();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function asStreamError(error: unknown): unknown {
  if (OutcropError.isInstance(error) || (error as Error | undefined)?.name === 'AbortError') return error;
  return new OutcropError('ModelStreamErrorException', `The model stream failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
