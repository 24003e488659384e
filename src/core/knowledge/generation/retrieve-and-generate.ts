import { OutcropError } from '../../errors.js';
import type { CallOptions, LanguageModel, StreamPart } from '../../inference/language-model.js';
import { attributeCitations } from './attribute-citations.js';
import { buildGenerationPrompt } from './build-generation-prompt.js';
import { CitedAnswerParser, type ParsedCitation, parseCitedAnswer } from './cited-answer-parser.js';
import type { ConversationSessions, ConversationTurn } from './conversation-sessions.js';
import { rewriteQuery } from './rewrite-query.js';
import type { AnswerCitation, InferenceSettings, SearchResult } from './search-result.js';

/** Guardrail checks around a generation (Bedrock's `guardrailConfiguration`), injected by the caller. */
export interface AnswerGuard {
  /** checks the question; a blocked question is answered with `text` and the model is never called */
  checkInput(question: string): Promise<{ blocked: boolean; text: string }>;
  /** checks the answer, grounded on the search results; `text` is the answer to give (masked or the blocked message) */
  checkOutput(answer: string, question: string, results: readonly SearchResult[]): Promise<{ intervened: boolean; blocked: boolean; text: string }>;
}

export interface RetrieveAndGenerateOptions {
  question: string;
  /** the session to continue; absent: a new one */
  sessionId?: string;
  sessions: ConversationSessions;
  /** the generation model */
  model: LanguageModel;
  /** finds the search results for a (standalone) query */
  retrieve(query: string): Promise<SearchResult[]>;
  /** replaces the default generation prompt (`$search_results$`, `$query$`, `$output_format_instructions$`) */
  promptTemplate?: string;
  inference?: InferenceSettings;
  /** follow-up rewriting (Bedrock's `orchestrationConfiguration`) */
  orchestration?: { template?: string; inference?: InferenceSettings };
  guard?: AnswerGuard;
  abortSignal?: AbortSignal;
}

export interface RetrieveAndGenerateResult {
  sessionId: string;
  text: string;
  citations: AnswerCitation[];
  /** set when a guard ran: whether it intervened */
  guardrailAction?: 'INTERVENED' | 'NONE';
}

export type AnswerStreamEvent = { type: 'output'; text: string } | { type: 'citation'; citation: AnswerCitation } | { type: 'guardrail'; action: 'INTERVENED' | 'NONE' };

/**
 * RetrieveAndGenerate: opens the session, checks the question, rewrites a follow-up into a standalone
 * query, retrieves, generates with the search results, and cites them: from the model's own
 * answer-part markers, or, when it gave none, by attributing each sentence to the results that
 * support it. The turn is kept in the session.
 *
 * @example
 * const answer = await retrieveAndGenerate({ question: 'What is basalt?', sessions, model, retrieve: async (query) => search(query) });
 */
export async function retrieveAndGenerate(options: RetrieveAndGenerateOptions): Promise<RetrieveAndGenerateResult> {
  const prepared = await prepare(options);
  if ('blocked' in prepared) return prepared.blocked;
  return answerWhole(options, prepared);
}

/**
 * RetrieveAndGenerateStream: the same steps, with the answer's text streamed as the model writes it
 * (markup removed) and each citation sent when its answer part ends. Retrieval happens before this
 * returns, so its errors reach the client as plain errors. With a guard the answer is checked whole
 * before any of it is sent.
 *
 * @example
 * const { sessionId, events } = await streamRetrieveAndGenerate(options);
 * for await (const event of events) if (event.type === 'output') process.stdout.write(event.text);
 */
export async function streamRetrieveAndGenerate(options: RetrieveAndGenerateOptions): Promise<{ sessionId: string; events: AsyncGenerator<AnswerStreamEvent> }> {
  const prepared = await prepare(options);
  if ('blocked' in prepared) return { sessionId: prepared.blocked.sessionId, events: replay(prepared.blocked) };
  if (options.guard) {
    const answer = await answerWhole(options, prepared);
    return { sessionId: prepared.sessionId, events: replay(answer) };
  }
  const { stream } = await options.model.stream(prepared.prompt);
  return { sessionId: prepared.sessionId, events: streamAnswer(options, prepared, stream) };
}

interface Prepared {
  sessionId: string;
  question: string;
  results: SearchResult[];
  prompt: CallOptions;
}

async function prepare(options: RetrieveAndGenerateOptions): Promise<Prepared | { blocked: RetrieveAndGenerateResult }> {
  const question = options.question.trim();
  if (!question) throw new OutcropError('ValidationException', 'The input text must not be empty.');
  const sessionId = await options.sessions.open(options.sessionId);
  if (options.guard) {
    const checked = await options.guard.checkInput(question);
    if (checked.blocked) return { blocked: { sessionId, text: checked.text, citations: [], guardrailAction: 'INTERVENED' } };
  }
  const history: readonly ConversationTurn[] = await options.sessions.history(sessionId);
  const query = await rewriteQuery(options.model, question, history, {
    ...(options.orchestration?.template ? { template: options.orchestration.template } : {}),
    ...(options.orchestration?.inference ? { inference: options.orchestration.inference } : {}),
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  const results = await options.retrieve(query);
  const inference = options.inference ?? {};
  const prompt: CallOptions = {
    prompt: buildGenerationPrompt({ question, results, history, ...(options.promptTemplate ? { template: options.promptTemplate } : {}) }),
    ...(inference.maxOutputTokens === undefined ? {} : { maxOutputTokens: inference.maxOutputTokens }),
    ...(inference.temperature === undefined ? {} : { temperature: inference.temperature }),
    ...(inference.topP === undefined ? {} : { topP: inference.topP }),
    ...(inference.stopSequences?.length ? { stopSequences: inference.stopSequences } : {}),
    ...(inference.extraBody ? { extraBody: inference.extraBody } : {}),
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  };
  return { sessionId, question, results, prompt };
}

/** Generates the whole answer, cites it, checks it with the guard, and keeps the turn. */
async function answerWhole(options: RetrieveAndGenerateOptions, prepared: Prepared): Promise<RetrieveAndGenerateResult> {
  const { sessionId, results } = prepared;
  const result = await options.model.generate(prepared.prompt);
  const raw = result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  const parsed = parseCitedAnswer(raw);
  const texts = results.map((entry) => entry.text);
  let text = parsed.text;
  let citations = parsed.structured ? parsed.citations : attributeCitations(text, texts);
  let guardrailAction: RetrieveAndGenerateResult['guardrailAction'];
  if (options.guard) {
    const checked = await options.guard.checkOutput(text, prepared.question, results);
    guardrailAction = checked.intervened ? 'INTERVENED' : 'NONE';
    if (checked.blocked) citations = [];
    else if (checked.text !== text) citations = attributeCitations(checked.text, texts);
    text = checked.text;
  }
  if (guardrailAction !== 'INTERVENED') await options.sessions.append(sessionId, { question: prepared.question, answer: text });
  return { sessionId, text, citations: citations.map((citation) => toAnswerCitation(citation, results)), ...(guardrailAction ? { guardrailAction } : {}) };
}

async function* replay(answer: RetrieveAndGenerateResult): AsyncGenerator<AnswerStreamEvent> {
  if (answer.text) yield { type: 'output', text: answer.text };
  for (const citation of answer.citations) yield { type: 'citation', citation };
  if (answer.guardrailAction) yield { type: 'guardrail', action: answer.guardrailAction };
}

async function* streamAnswer(options: RetrieveAndGenerateOptions, prepared: Prepared, stream: ReadableStream<StreamPart>): AsyncGenerator<AnswerStreamEvent> {
  const parser = new CitedAnswerParser();
  const reader = stream.getReader();
  let text = '';
  const emit = function* (events: ReturnType<CitedAnswerParser['push']>): Generator<AnswerStreamEvent> {
    for (const event of events) {
      if (event.type === 'text') {
        text += event.text;
        yield { type: 'output', text: event.text };
      } else {
        yield { type: 'citation', citation: toAnswerCitation(event.citation, prepared.results) };
      }
    }
  };
  try {
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) throw new OutcropError('InternalServerException', 'The model stream ended without a finish.');
      if (part.type === 'text-delta') yield* emit(parser.push(part.delta));
      else if (part.type === 'error') {
        throw OutcropError.isInstance(part.error) ? part.error : new OutcropError('InternalServerException', `The model failed mid-stream: ${(part.error as Error)?.message ?? String(part.error)}`);
      } else if (part.type === 'finish') break;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  yield* emit(parser.finish());
  if (!parser.structured) {
    for (const citation of attributeCitations(text, prepared.results.map((entry) => entry.text))) {
      yield { type: 'citation', citation: toAnswerCitation(citation, prepared.results) };
    }
  }
  await options.sessions.append(prepared.sessionId, { question: prepared.question, answer: text });
}

function toAnswerCitation(citation: ParsedCitation, results: readonly SearchResult[]): AnswerCitation {
  const references = citation.sources.flatMap((source) => {
    const result = results[source - 1];
    return result ? [result] : [];
  });
  return { start: citation.start, end: citation.end, text: citation.text, references };
}
