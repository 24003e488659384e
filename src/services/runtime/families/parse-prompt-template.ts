import type { Message, Role } from '../../../core/inference/language-model.js';

/**
 * Raw-prompt families (Llama, Mistral text, DeepSeek) send one string already formatted with the
 * model's chat template. These parsers turn a templated prompt back into role-tagged messages, so any
 * backend can serve it; a prompt without template markers is one user message, exactly as written.
 */

function message(role: Role, text: string): Message {
  return { role, content: [{ type: 'text', text }] };
}

const llamaHeader = /<\|(?:start_header_id|header_start)\|>([^<]*)<\|(?:end_header_id|header_end)\|>/g;
const llamaTurnEnd = /<\|(?:eot_id|eot|eom_id|eom)\|>/;
const llamaBeginOfText = /<\|begin_of_text\|>/g;

function llamaRole(header: string): Role {
  const role = header.trim();
  return role === 'system' || role === 'assistant' ? role : 'user';
}

/**
 * Llama 3 / 3.x / 4 chat templates (`<|start_header_id|>user<|end_header_id|>\n\n...<|eot_id|>`);
 * Llama 2's `[INST]` template goes to {@link parseInstPrompt}. An open assistant header at the end
 * is the generation prompt and is dropped; `ipython` (tool output) turns become user turns.
 *
 * @example
 * parseLlamaPrompt('<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n')
 * // [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]
 */
export function parseLlamaPrompt(prompt: string): Message[] {
  const text = prompt.replace(llamaBeginOfText, '');
  const headers = [...text.matchAll(llamaHeader)];
  const first = headers[0];
  if (!first) return /\[INST\]/.test(prompt) ? parseInstPrompt(prompt) : [message('user', prompt)];
  const messages: Message[] = [];
  const before = text.slice(0, first.index).trim();
  if (before) messages.push(message('user', before));
  headers.forEach((header, index) => {
    const start = header.index + header[0].length;
    const next = headers[index + 1];
    let body = text.slice(start, next ? next.index : text.length);
    const end = llamaTurnEnd.exec(body);
    if (end) body = body.slice(0, end.index);
    body = body.trim();
    if (body) messages.push(message(llamaRole(header[1] ?? ''), body));
  });
  return messages;
}

const instTurn = /\[INST\]([\s\S]*?)\[\/INST\]/g;
const systemBlock = /^\s*<<SYS>>([\s\S]*?)<<\/SYS>>/;
const systemPromptBlock = /\[SYSTEM_PROMPT\]([\s\S]*?)\[\/SYSTEM_PROMPT\]/;

function stripSentenceMarks(text: string): string {
  return text.replace(/<\/?s>/g, '').trim();
}

/**
 * The `[INST]` template of Mistral and Llama 2: text inside `[INST] ... [/INST]` is the user's,
 * text between turns the assistant's; `<<SYS>>` (Llama 2) and `[SYSTEM_PROMPT]` (Mistral) blocks
 * become the system prompt.
 *
 * @example
 * parseInstPrompt('<s>[INST] Hi [/INST] Hello</s>[INST] Bye [/INST]') // user, assistant, user
 */
export function parseInstPrompt(prompt: string): Message[] {
  const turns = [...prompt.matchAll(instTurn)];
  const first = turns[0];
  if (!first) return [message('user', prompt)];
  const messages: Message[] = [];
  let lead = prompt.slice(0, first.index);
  const systemPrompt = systemPromptBlock.exec(lead);
  if (systemPrompt) {
    const system = systemPrompt[1]?.trim();
    if (system) messages.push(message('system', system));
    lead = lead.replace(systemPromptBlock, '');
  }
  if (stripSentenceMarks(lead)) messages.push(message('user', stripSentenceMarks(lead)));
  turns.forEach((turn, index) => {
    let user = turn[1] ?? '';
    const system = systemBlock.exec(user);
    if (system) {
      const text = system[1]?.trim();
      if (text) messages.push(message('system', text));
      user = user.replace(systemBlock, '');
    }
    if (user.trim()) messages.push(message('user', user.trim()));
    const next = turns[index + 1];
    const answer = stripSentenceMarks(prompt.slice(turn.index + turn[0].length, next ? next.index : prompt.length));
    if (answer) messages.push(message('assistant', answer));
  });
  return messages;
}

const deepSeekBegin = /<[｜|]begin[▁_]of[▁_]sentence[｜|]>/g;
const deepSeekEnd = /<[｜|]end[▁_]of[▁_]sentence[｜|]>/g;
const deepSeekRole = /<[｜|](User|Assistant)[｜|]>/g;

/**
 * DeepSeek-R1's template (`<｜begin▁of▁sentence｜>system<｜User｜>...<｜Assistant｜>`): text before
 * the first user turn is the system prompt; a trailing `<｜Assistant｜>` (with or without an opening
 * `<think>`) is the generation prompt; earlier answers lose their `<think>` blocks, as the template does.
 *
 * @example
 * parseDeepSeekPrompt('<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜><think>\n') // [user 'Hi']
 */
export function parseDeepSeekPrompt(prompt: string): Message[] {
  const text = prompt.replace(deepSeekBegin, '');
  const markers = [...text.matchAll(deepSeekRole)];
  const first = markers[0];
  if (!first) return [message('user', prompt)];
  const messages: Message[] = [];
  const system = text.slice(0, first.index).trim();
  if (system) messages.push(message('system', system));
  markers.forEach((marker, index) => {
    const next = markers[index + 1];
    const body = text.slice(marker.index + marker[0].length, next ? next.index : text.length).replace(deepSeekEnd, '');
    if (marker[1] === 'User') {
      if (body.trim()) messages.push(message('user', body.trim()));
      return;
    }
    const answer = body.replace(/<think>[\s\S]*?<\/think>/g, '').replace(/^\s*<think>\s*$/, '').trim();
    if (answer) messages.push(message('assistant', answer));
  });
  return messages;
}
