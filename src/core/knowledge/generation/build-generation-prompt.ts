import type { Message } from '../../inference/language-model.js';
import type { ConversationTurn } from './conversation-sessions.js';
import { defaultGenerationPromptTemplate, formatSearchResults, outputFormatInstructions, renderPromptTemplate } from './prompt-templates.js';
import type { SearchResult } from './search-result.js';

/**
 * The messages sent to the generation model. The template (Bedrock's default unless the request
 * gives `textPromptTemplate`) gets `$search_results$`, `$output_format_instructions$` and `$query$`.
 * A template with `$query$` is the whole last user turn; one without it is the system prompt and the
 * question follows as the user turn. Earlier turns of the session come first, as user and
 * assistant messages.
 *
 * @example
 * const prompt = buildGenerationPrompt({ question: 'What is basalt?', results: [{ text: 'Basalt is volcanic.' }], history: [] });
 */
export function buildGenerationPrompt(options: { question: string; results: readonly SearchResult[]; history: readonly ConversationTurn[]; template?: string }): Message[] {
  const template = options.template ?? defaultGenerationPromptTemplate;
  const rendered = renderPromptTemplate(template, {
    search_results: formatSearchResults(options.results.map((result) => result.text)),
    output_format_instructions: outputFormatInstructions,
    query: options.question,
  });
  const history: Message[] = options.history.flatMap((turn) => [
    { role: 'user' as const, content: [{ type: 'text' as const, text: turn.question }] },
    { role: 'assistant' as const, content: [{ type: 'text' as const, text: turn.answer }] },
  ]);
  if (template.includes('$query$')) return [...history, { role: 'user', content: [{ type: 'text', text: rendered }] }];
  return [{ role: 'system', content: [{ type: 'text', text: rendered }] }, ...history, { role: 'user', content: [{ type: 'text', text: options.question }] }];
}
