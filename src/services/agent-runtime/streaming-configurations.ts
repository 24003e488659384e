import type { StreamingConfigurations } from '../../protocol/generated/bedrock-agent-runtime-types.js';

/**
 * The request's `streamingConfigurations` for the runtime: `streamFinalResponse` (default false) and
 * `applyGuardrailInterval` (characters per released chunk, default 50; the wire validator has
 * already checked it is at least 1).
 *
 * @example
 * streamingOf({ streamFinalResponse: true, applyGuardrailInterval: 20 }); // { streamFinalResponse: true, applyGuardrailInterval: 20 }
 */
export function streamingOf(configuration: StreamingConfigurations): { streamFinalResponse?: boolean; applyGuardrailInterval?: number } {
  return {
    ...(configuration.streamFinalResponse === undefined ? {} : { streamFinalResponse: configuration.streamFinalResponse }),
    ...(configuration.applyGuardrailInterval === undefined ? {} : { applyGuardrailInterval: configuration.applyGuardrailInterval }),
  };
}
