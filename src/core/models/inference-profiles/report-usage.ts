import type { EmbeddingModel } from '../../inference/embedding-model.js';
import type { LanguageModel, StreamPart, Usage } from '../../inference/language-model.js';

/**
 * Wraps a model so each finished call reports its token usage: a generation's usage, or a stream's
 * `finish` part. A reporter that throws never fails the call.
 *
 * @example
 * const metered = withUsageReporting(model, (usage) => meter.add(usage.inputTokens, usage.outputTokens));
 */
export function withUsageReporting(model: LanguageModel, report: (usage: Usage) => void): LanguageModel {
  const safeReport = guard(report);
  return {
    specificationVersion: model.specificationVersion,
    provider: model.provider,
    modelId: model.modelId,
    capabilities: model.capabilities,
    async generate(options) {
      const result = await model.generate(options);
      safeReport(result.usage);
      return result;
    },
    async stream(options) {
      const { stream } = await model.stream(options);
      const watch = new TransformStream<StreamPart, StreamPart>({
        transform(part, controller) {
          if (part.type === 'finish') safeReport(part.usage);
          controller.enqueue(part);
        },
      });
      return { stream: stream.pipeThrough(watch) };
    },
    countTokens: (options) => model.countTokens(options),
  };
}

/** The embedding counterpart of `withUsageReporting` (no output tokens). */
export function withEmbeddingUsageReporting(model: EmbeddingModel, report: (usage: Usage) => void): EmbeddingModel {
  const safeReport = guard(report);
  return {
    specificationVersion: model.specificationVersion,
    provider: model.provider,
    modelId: model.modelId,
    dimensions: model.dimensions,
    maxBatchSize: model.maxBatchSize,
    async embed(options) {
      const result = await model.embed(options);
      safeReport({ inputTokens: result.usage.inputTokens, outputTokens: 0 });
      return result;
    },
  };
}

function guard(report: (usage: Usage) => void): (usage: Usage) => void {
  return (usage) => {
    try {
      report(usage);
    } catch {
      // metering must never fail an inference call
    }
  };
}
