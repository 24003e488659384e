/** Bedrock's `PreProcessingParsedResponse`. */
export interface PreProcessingParsed {
  isValid: boolean;
  rationale?: string;
  /** the category letter the model chose (A-E), when one could be read */
  category?: string;
}

const categoryTag = /<\s*category\s*>([\s\S]*?)<\s*\/\s*category\s*>/i;
const thinkingTag = /<\s*thinking\s*>([\s\S]*?)<\s*\/\s*thinking\s*>/i;
const bareCategory = /^\s*(?:category\s*[:-]?\s*)?([a-e])\s*[.)]?\s*$/i;

/**
 * Bedrock's default pre-processing parser: the category is the first `<category>` tag (or an answer
 * that is only a category letter), the rationale the first `<thinking>` tag (else the text left
 * once the category tag is removed). The input is valid only in category D (answerable with the
 * agent's tools) or E (an answer to the agent's question); A (malicious), B (probing or
 * manipulating the agent), C (beyond its tools) and an unreadable answer are not.
 *
 * @example
 * parsePreProcessingResponse('<thinking>A weather question.</thinking><category>D</category>');
 * // { isValid: true, rationale: 'A weather question.', category: 'D' }
 */
export function parsePreProcessingResponse(raw: string): PreProcessingParsed {
  const tagged = categoryTag.exec(raw)?.[1]?.trim();
  const category = (tagged ?? bareCategory.exec(raw)?.[1])?.trim().toUpperCase().replace(/^CATEGORY\s*[:-]?\s*/, '').charAt(0);
  const thinking = thinkingTag.exec(raw)?.[1]?.trim();
  const rest = raw.replace(categoryTag, '').trim();
  const rationale = thinking || (tagged === undefined ? undefined : rest) || undefined;
  return {
    isValid: category === 'D' || category === 'E',
    ...(rationale ? { rationale } : {}),
    ...(category ? { category } : {}),
  };
}

const finalResponseOpen = /<\s*final_response\s*>/i;
const finalResponseClose = /<\s*\/\s*final_response\s*>/i;

/**
 * Bedrock's default post-processing parser: the text inside `<final_response>` (to the end when the
 * closing tag is missing), else the whole answer, trimmed.
 *
 * @example
 * parsePostProcessingResponse('<final_response>It is sunny in Oslo.</final_response>'); // 'It is sunny in Oslo.'
 */
export function parsePostProcessingResponse(raw: string): string {
  const open = finalResponseOpen.exec(raw);
  if (!open) return raw.trim();
  const after = raw.slice(open.index + open[0].length);
  const close = finalResponseClose.exec(after);
  return (close ? after.slice(0, close.index) : after).trim();
}
