import type { LanguageModel, Message } from '../../inference/language-model.js';

const instruction =
  'You summarize a conversation between a user and an AI assistant so that the assistant can remember it in later sessions. Write a short summary in the third person of what the user asked, what they told about themselves and their preferences, and what was decided or done. Answer with the summary only.';

/**
 * Asks the agent's model for a summary of a session (SESSION_SUMMARY memory).
 *
 * @example
 * const summary = await summarizeSession(model, session.history, signal);
 */
export async function summarizeSession(model: LanguageModel, history: Message[], signal?: AbortSignal): Promise<string> {
  const transcript = history
    .map((message) => `${message.role === 'user' ? 'User' : 'Assistant'}: ${message.content.map((part) => (part.type === 'text' ? part.text : '')).join('')}`)
    .join('\n');
  const result = await model.generate({
    prompt: [
      { role: 'system', content: [{ type: 'text', text: instruction }] },
      { role: 'user', content: [{ type: 'text', text: `<conversation>\n${transcript}\n</conversation>` }] },
    ],
    maxOutputTokens: 1024,
    temperature: 0,
    ...(signal ? { abortSignal: signal } : {}),
  });
  return result.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('')
    .trim();
}
