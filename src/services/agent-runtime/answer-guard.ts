import type { ContentQualifier } from '../../core/guardrails/index.js';
import type { AnswerGuard } from '../../core/knowledge/generation/retrieve-and-generate.js';
import type { GuardrailConfiguration } from '../../protocol/generated/bedrock-agent-runtime-types.js';
import type { HandlerContext } from '../handler.js';
import { checkGuardrail, requireGuardrail } from '../runtime/converse-guardrail.js';

/**
 * The guardrail checks of a RetrieveAndGenerate `guardrailConfiguration`: the question as input;
 * the answer as output, grounded on the search results (`grounding_source`) and the question
 * (`query`), so contextual grounding runs. An unknown guardrail or version is a ValidationException
 * before anything runs.
 */
export function answerGuard(configuration: GuardrailConfiguration, context: HandlerContext, operation: string): AnswerGuard {
  const guard = requireGuardrail({ guardrailIdentifier: configuration.guardrailId, guardrailVersion: configuration.guardrailVersion }, context, operation);
  return {
    async checkInput(question) {
      const { evaluation } = await checkGuardrail(guard, 'INPUT', [{ text: question }], context);
      return { blocked: evaluation.blocked, text: evaluation.outputs[0]?.text ?? '' };
    },
    async checkOutput(answer, question, results) {
      const content: Array<{ text: string; qualifiers: ContentQualifier[] }> = [
        ...results.map((result) => ({ text: result.text, qualifiers: ['grounding_source' as const] })),
        { text: question, qualifiers: ['query'] },
        { text: answer, qualifiers: ['guard_content'] },
      ];
      const { evaluation } = await checkGuardrail(guard, 'OUTPUT', content, context);
      const intervened = evaluation.action === 'GUARDRAIL_INTERVENED';
      if (evaluation.blocked) return { intervened, blocked: true, text: evaluation.outputs[0]?.text ?? '' };
      const masked = evaluation.maskedContent.find((block) => block.qualifiers.includes('guard_content'))?.text;
      return { intervened, blocked: false, text: masked ?? answer };
    },
  };
}

/** Retrieve's guardrail: the query is checked as input; a blocked query retrieves nothing. */
export async function guardQuestion(configuration: GuardrailConfiguration, query: string, context: HandlerContext): Promise<{ blocked: boolean }> {
  const checked = await answerGuard(configuration, context, 'Retrieve').checkInput(query);
  return { blocked: checked.blocked };
}
