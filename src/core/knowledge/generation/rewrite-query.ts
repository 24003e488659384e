import type { LanguageModel } from '../../inference/language-model.js';
import type { ConversationTurn } from './conversation-sessions.js';
import { defaultQueryRewritePromptTemplate, renderPromptTemplate } from './prompt-templates.js';
import type { InferenceSettings } from './search-result.js';

/** Longest rewritten query kept (Bedrock's input limit); longer output means the model rambled. */
const maxQueryLength = 1000;

/**
 * Turns a follow-up question into a standalone search query with the conversation so far. Without
 * history the question is the query. When the model's rewrite is empty or too long, the previous
 * question and this one together are the query, so the context still reaches the search.
 *
 * @example
 * const query = await rewriteQuery(model, 'How hard is it?', [{ question: 'What is granite?', answer: 'An igneous rock.' }]);
 */
export async function rewriteQuery(
  model: LanguageModel,
  question: string,
  history: readonly ConversationTurn[],
  options: { template?: string; inference?: InferenceSettings; abortSignal?: AbortSignal } = {},
): Promise<string> {
  const previous = history[history.length - 1];
  if (!previous) return question;
  const conversation = history.map((turn) => `User: ${turn.question}\nAssistant: ${turn.answer}`).join('\n');
  const prompt = renderPromptTemplate(options.template ?? defaultQueryRewritePromptTemplate, { conversation_history: conversation, query: question });
  const inference = options.inference ?? {};
  const result = await model.generate({
    prompt: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    maxOutputTokens: inference.maxOutputTokens ?? 256,
    temperature: inference.temperature ?? 0,
    ...(inference.topP === undefined ? {} : { topP: inference.topP }),
    ...(inference.stopSequences ? { stopSequences: inference.stopSequences } : {}),
    ...(inference.extraBody ? { extraBody: inference.extraBody } : {}),
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  const text = result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  const line = text
    .replace(/<\/?[a-z_]+>/g, '')
    .split('\n')
    .map((candidate) => candidate.trim().replace(/^["']|["']$/g, ''))
    .find((candidate) => candidate.length > 0);
  if (!line || line.length > maxQueryLength) return `${previous.question} ${question}`;
  return line;
}
