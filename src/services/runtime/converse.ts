import type { GenerateResult } from '../../core/inference/language-model.js';
import type { ContentBlock, ConverseRequest, ConverseResponse } from '../../protocol/generated/bedrock-runtime-types.js';
import type { HandlerContext } from '../handler.js';
import { convertConverseRequest } from './convert-converse-request.js';
import { checkGuardrail, converseGroundingReferences, converseGuardedInput, type GuardrailCheck, guardrailTrace, requireGuardrail } from './converse-guardrail.js';
import { mapConverseStopReason } from './map-converse-stop-reason.js';

/** Converse: one neutral `generate` call, its result in Bedrock's shape. */
export async function converse(input: ConverseRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const started = performance.now();
  const resolved = context.deps.catalog.resolve(input.modelId);
  const options = convertConverseRequest(input, context.signal);
  const guardConfig = input.guardrailConfig;
  const guard = guardConfig ? requireGuardrail(guardConfig, context) : undefined;
  const tracing = guardConfig?.trace === 'enabled' || guardConfig?.trace === 'enabled_full';
  let inputCheck: GuardrailCheck | undefined;
  if (guard) {
    inputCheck = await checkGuardrail(guard, 'INPUT', converseGuardedInput(input), context);
    if (inputCheck.evaluation.blocked) {
      // Bedrock answers a blocked input itself: the model is never called.
      const blocked: Record<string, unknown> = {
        output: { message: { role: 'assistant', content: [{ text: inputCheck.evaluation.outputs[0]?.text ?? '' }] } },
        stopReason: 'guardrail_intervened',
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        metrics: { latencyMs: Math.round(performance.now() - started) },
      };
      if (tracing) blocked.trace = { guardrail: guardrailTrace(inputCheck, undefined) };
      return blocked;
    }
  }
  const result = await resolved.model.generate(options);
  let content = toContentBlocks(result);
  let stopReason = mapConverseStopReason(result.finishReason, result.content.some((part) => part.type === 'tool-call')) as ConverseResponse['stopReason'];
  let outputCheck: GuardrailCheck | undefined;
  let modelOutput: string[] | undefined;
  if (guard) {
    const texts = content.flatMap((block) => ('text' in block ? [{ text: block.text }] : []));
    const references = converseGroundingReferences(input);
    outputCheck = await checkGuardrail(guard, 'OUTPUT', [...references, ...texts], context);
    const evaluation = outputCheck.evaluation;
    if (evaluation.action === 'GUARDRAIL_INTERVENED') {
      if (guardConfig?.trace === 'enabled_full') modelOutput = texts.map((block) => block.text);
      if (evaluation.blocked) {
        content = [{ text: evaluation.outputs[0]?.text ?? '' }];
        stopReason = 'guardrail_intervened';
      } else {
        // Masking only: the answer stands with sensitive information anonymized.
        let index = references.length;
        content = content.map((block) => ('text' in block ? { text: evaluation.maskedContent[index++]?.text ?? block.text } : block));
      }
    }
  }
  const output: Omit<ConverseResponse, 'metrics'> & { metrics: { latencyMs: number } } = {
    output: { message: { role: 'assistant', content } },
    stopReason,
    usage: converseUsage(result.usage),
    metrics: { latencyMs: Math.round(performance.now() - started) },
  };
  if (input.additionalModelResponseFieldPaths?.length && result.raw !== undefined) {
    output.additionalModelResponseFields = pickPaths(result.raw, input.additionalModelResponseFieldPaths);
  }
  if (guard && tracing) output.trace = { guardrail: guardrailTrace(inputCheck, outputCheck, modelOutput) as never };
  return output as unknown as Record<string, unknown>;
}

export function toContentBlocks(result: GenerateResult): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  for (const part of result.content) {
    if (part.type === 'text') blocks.push({ text: part.text });
    else if (part.type === 'reasoning') {
      blocks.push({ reasoningContent: { reasoningText: { text: part.text, ...(part.signature ? { signature: part.signature } : {}) } } });
    } else if (part.type === 'tool-call') {
      blocks.push({ toolUse: { toolUseId: part.toolCallId, name: part.toolName, input: part.input } as never });
    }
  }
  return blocks;
}

export function converseUsage(usage: GenerateResult['usage']): { inputTokens: number; outputTokens: number; totalTokens: number; cacheReadInputTokens?: number; cacheWriteInputTokens?: number } {
  const out: ReturnType<typeof converseUsage> = {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cacheReadInputTokens) out.cacheReadInputTokens = usage.cacheReadInputTokens;
  if (usage.cacheWriteInputTokens) out.cacheWriteInputTokens = usage.cacheWriteInputTokens;
  return out;
}

/** Picks JSON-pointer paths (`/stop_sequence`) out of the raw backend response. */
function pickPaths(raw: unknown, paths: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const keys = path.split('/').slice(1).map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    let value: unknown = raw;
    for (const key of keys) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    if (value === undefined) continue;
    let target = out;
    keys.forEach((key, index) => {
      if (index === keys.length - 1) target[key] = value;
      else target = (target[key] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}
