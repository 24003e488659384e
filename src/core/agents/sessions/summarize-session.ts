import type { CallOptions, LanguageModel, Message } from '../../inference/language-model.js';
import { renderPromptTemplate } from '../orchestration/prompt-template.js';

/** An agent's MEMORY_SUMMARIZATION override: its OVERRIDDEN template and its model call settings. */
export interface SummarizationPrompt {
  /** `$conversation$` is the transcript; `$past_conversation_summary$` is left empty */
  template?: string;
  call: Pick<CallOptions, 'maxOutputTokens' | 'temperature' | 'topP' | 'topK' | 'stopSequences' | 'extraBody'>;
}

const instruction =
  'You summarize a conversation between a user and an AI assistant so that the assistant can remember it in later sessions. Write a short summary in the third person of what the user asked, what they told about themselves and their preferences, and what was decided or done. Answer with the summary only.';

/**
 * Asks the agent's model for a summary of a session (SESSION_SUMMARY memory), with the agent's
 * MEMORY_SUMMARIZATION template and inference settings when it overrides them.
 *
 * @example
 * const summary = await summarizeSession(model, session.history, signal);
 */
export async function summarizeSession(model: LanguageModel, history: Message[], signal?: AbortSignal, prompt?: SummarizationPrompt): Promise<string> {
  const transcript = history
    .map((message) => `${message.role === 'user' ? 'User' : 'Assistant'}: ${message.content.map((part) => (part.type === 'text' ? part.text : '')).join('')}`)
    .join('\n');
  const messages: Message[] = prompt?.template
    ? renderPromptTemplate(prompt.template, { conversation: transcript, past_conversation_summary: '' })
    : [
        { role: 'system', content: [{ type: 'text', text: instruction }] },
        { role: 'user', content: [{ type: 'text', text: `<conversation>\n${transcript}\n</conversation>` }] },
      ];
  const result = await model.generate({
    prompt: messages,
    ...(prompt?.call ?? { maxOutputTokens: 1024, temperature: 0 }),
    ...(signal ? { abortSignal: signal } : {}),
  });
  return result.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('')
    .trim();
}
