import { OutcropError } from '../../errors.js';
import { cosine } from '../../guardrails/vectors.js';
import type { EmbeddingModel } from '../../inference/embedding-model.js';
import { chunkDocument } from '../chunking/chunk-document.js';
import { defaultChunkingStrategy } from '../chunking/chunking-strategy.js';
import { loadTokenCounter } from '../chunking/token-counter.js';
import { parseDocument } from '../parsing/parse-document.js';
import type { SearchResult } from './search-result.js';

/** A document passed inline (Bedrock's `byteContent` external source). */
export interface ExternalDocument {
  identifier: string;
  contentType: string;
  bytes: Uint8Array;
}

/** Tokens of document text given to the model at most; a document this small goes whole. */
export const externalSourceTokenBudget = 6000;

/**
 * Search over a document passed with the request ("chat with your document"): parsed like an
 * ingested file, cut into Bedrock's default chunks (300 tokens, 20% overlap), and, when it is
 * larger than the budget, narrowed to the chunks closest to the query (embedding similarity when a
 * model is given, shared words otherwise), returned in document order. A file that cannot be parsed
 * is a ValidationException naming why.
 *
 * @example
 * const search = await externalSourceSearch({ identifier: 'notes.md', contentType: 'text/markdown', bytes }, { embeddingModel });
 * const passages = await search('What is basalt?');
 */
export async function externalSourceSearch(
  document: ExternalDocument,
  options: { embeddingModel?: EmbeddingModel; abortSignal?: AbortSignal } = {},
): Promise<(query: string) => Promise<SearchResult[]>> {
  const parsed = await parseDocument({ bytes: document.bytes, fileName: document.identifier, contentType: document.contentType, ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) });
  if (!parsed.ok) throw new OutcropError('ValidationException', `The external source ${document.identifier} could not be read: ${parsed.message}`);
  const tokenCounter = await loadTokenCounter();
  const chunks = await chunkDocument({ documentId: document.identifier, text: parsed.document.text, sections: parsed.document.sections }, defaultChunkingStrategy, { tokenCounter });
  const location = { type: 'CUSTOM', customDocumentLocation: { id: document.identifier } };
  const passages = chunks.map((chunk) => ({ text: chunk.text, tokens: chunk.tokenCount, location }));
  const total = passages.reduce((sum, passage) => sum + passage.tokens, 0);
  return async (query) => {
    if (total <= externalSourceTokenBudget) return passages.map(({ text }) => ({ text, location }));
    const scores = await similarity(query, passages.map((passage) => passage.text), options);
    const order = scores.map((score, index) => ({ score, index })).sort((left, right) => right.score - left.score);
    const chosen: number[] = [];
    let used = 0;
    for (const { index } of order) {
      const tokens = passages[index]?.tokens ?? 0;
      if (used + tokens > externalSourceTokenBudget) continue;
      chosen.push(index);
      used += tokens;
    }
    return chosen.sort((left, right) => left - right).map((index) => ({ text: passages[index]?.text ?? '', location }));
  };
}

async function similarity(query: string, texts: readonly string[], options: { embeddingModel?: EmbeddingModel; abortSignal?: AbortSignal }): Promise<number[]> {
  const model = options.embeddingModel;
  if (!model) {
    const queryWords = new Set(words(query));
    return texts.map((text) => words(text).filter((word) => queryWords.has(word)).length);
  }
  const signal = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  const [queryVector] = (await model.embed({ values: [query], purpose: 'query', ...signal })).embeddings;
  const vectors: number[][] = [];
  for (let offset = 0; offset < texts.length; offset += model.maxBatchSize) {
    vectors.push(...(await model.embed({ values: texts.slice(offset, offset + model.maxBatchSize), purpose: 'document', ...signal })).embeddings);
  }
  return vectors.map((vector) => cosine(queryVector ?? [], vector));
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];
}
