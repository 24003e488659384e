import type { MetadataJson } from '../index/retrieval-filter.js';

/** A passage the answer may draw on: a retrieved chunk or a piece of an external document. */
export interface SearchResult {
  text: string;
  /** Bedrock's `RetrievalResultLocation` in wire form */
  location?: Record<string, unknown>;
  metadata?: Record<string, MetadataJson>;
}

/** A stretch of the generated answer and the search results it rests on. */
export interface AnswerCitation {
  /** first character's offset in the answer */
  start: number;
  /** last character's offset (inclusive, as Bedrock's `Span.end`) */
  end: number;
  text: string;
  references: SearchResult[];
}

/** Model settings of a generation (Bedrock's `textInferenceConfig` and `additionalModelRequestFields`). */
export interface InferenceSettings {
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
  extraBody?: Record<string, unknown>;
}
