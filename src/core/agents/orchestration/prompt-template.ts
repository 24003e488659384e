import type { Message } from '../../inference/language-model.js';

/**
 * A prompt template as messages, with `$name$` placeholders filled from `values` (unknown
 * placeholders become empty). Bedrock's templates for message-API models are JSON with `system` and
 * `messages` (each `content` a string or a list of `{ type: 'text', text }`); they are read
 * leniently (raw line breaks inside strings are accepted, as Bedrock's own examples have them) and
 * the placeholders are filled after parsing, so values never break the JSON. Any other template is
 * the text of one user message.
 *
 * @example
 * renderPromptTemplate('{"system": "Classify.", "messages": [{"role": "user", "content": "$question$"}]}', { question: 'hi' });
 * // [{ role: 'system', content: [{ type: 'text', text: 'Classify.' }] }, { role: 'user', content: [{ type: 'text', text: 'hi' }] }]
 */
export function renderPromptTemplate(template: string, values: Record<string, string>): Message[] {
  const fill = (text: string) => fillPlaceholders(text, values);
  const parsed = parseTemplateJson(template);
  if (!parsed) return [{ role: 'user', content: [{ type: 'text', text: fill(template).trim() }] }];
  const messages: Message[] = [];
  const system = typeof parsed.system === 'string' ? fill(parsed.system).trim() : '';
  if (system) messages.push({ role: 'system', content: [{ type: 'text', text: system }] });
  for (const entry of Array.isArray(parsed.messages) ? parsed.messages : []) {
    const message = entry as { role?: unknown; content?: unknown };
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const text = fill(contentText(message.content)).trim();
    if (text) messages.push({ role, content: [{ type: 'text', text }] });
  }
  // A template whose last message is an assistant prefill still needs a user turn before it.
  if (!messages.some((message) => message.role === 'user')) messages.push({ role: 'user', content: [{ type: 'text', text: fill('$question$') || '.' }] });
  return messages;
}

/** Replaces `$name$` placeholders; unknown ones become empty. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\$([a-z_]+)\$/g, (_match, name: string) => values[name] ?? '');
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block) => (block && typeof block === 'object' && typeof (block as { text?: unknown }).text === 'string' ? (block as { text: string }).text : ''))
    .join('');
}

function parseTemplateJson(template: string): { system?: unknown; messages?: unknown } | undefined {
  const trimmed = template.trim();
  if (!trimmed.startsWith('{')) return undefined;
  for (const candidate of [trimmed, escapeControlCharactersInStrings(trimmed)]) {
    try {
      const value = JSON.parse(candidate) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value) && ('system' in value || 'messages' in value)) return value as { system?: unknown; messages?: unknown };
      return undefined;
    } catch {
      // try the lenient form next
    }
  }
  return undefined;
}

/** Escapes raw line breaks and tabs inside JSON string literals, which templates pasted from Bedrock's console often contain. */
function escapeControlCharactersInStrings(text: string): string {
  let out = '';
  let inString = false;
  let escaped = false;
  for (const char of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      else if (char === '\n') {
        out += '\\n';
        continue;
      } else if (char === '\r') {
        out += '\\r';
        continue;
      } else if (char === '\t') {
        out += '\\t';
        continue;
      }
    } else if (char === '"') inString = true;
    out += char;
  }
  return out;
}
