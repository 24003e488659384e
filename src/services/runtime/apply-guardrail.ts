import { OutcropError } from '../../core/errors.js';
import type { ContentQualifier } from '../../core/guardrails/index.js';
import type { ApplyGuardrailRequest } from '../../protocol/generated/bedrock-runtime-types.js';
import { guardrailsOf } from '../control/guardrails.js';
import type { HandlerContext } from '../handler.js';

/**
 * ApplyGuardrail: evaluates text blocks against one guardrail version, without a model. The
 * engine's assessment maps 1:1 onto Bedrock's; `outputScope: FULL` returns the guarded text even when
 * nothing intervened.
 */
export async function applyGuardrail(input: ApplyGuardrailRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const content = input.content.map((block) => {
    if (!('text' in block)) throw new OutcropError('ValidationException', 'Image content is not supported by this server; send text blocks.');
    return { text: block.text.text, qualifiers: (block.text.qualifiers ?? []) as ContentQualifier[] };
  });
  const { evaluation, guardrail } = await guardrailsOf(context).apply(input.guardrailIdentifier, input.guardrailVersion, { source: input.source, content, abortSignal: context.signal }, { operation: 'ApplyGuardrail', requestId: context.requestId });
  const [assessment] = evaluation.assessments;
  const full = input.outputScope === 'FULL';
  const outputs = evaluation.outputs.length > 0 || !full ? evaluation.outputs : evaluation.maskedContent.filter((block) => !block.qualifiers.some((qualifier) => qualifier !== 'guard_content')).map((block) => ({ text: block.text }));
  return {
    usage: evaluation.usage,
    action: evaluation.action,
    ...(evaluation.actionReason ? { actionReason: evaluation.actionReason } : {}),
    outputs,
    assessments: [
      {
        ...assessment,
        appliedGuardrailDetails: { guardrailId: guardrail.guardrailId, guardrailVersion: guardrail.version, guardrailArn: guardrail.arn, guardrailOrigin: ['REQUEST'], guardrailOwnership: 'SELF' },
      },
    ],
    guardrailCoverage: evaluation.coverage,
  };
}
