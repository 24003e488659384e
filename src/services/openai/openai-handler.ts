import type { HandlerContext } from '../handler.js';

/** One request to the OpenAI surface: the parsed JSON body (POST) and the path's labels. */
export interface OpenAIRequest {
  body: unknown;
  /** labels of the route template, decoded (`/v1/models/{model}` gives `model`) */
  params: Record<string, string>;
}

/**
 * What an OpenAI-surface handler answers: a JSON body, or server-sent events (each value one
 * `data:` line; the server adds `data: [DONE]` after the last). An error thrown before the first
 * event is a plain HTTP error; one thrown later becomes a final `data: {"error": ...}` event.
 */
export type OpenAIResponse = { json: unknown } | { events: AsyncIterable<unknown> };

export type OpenAIHandler = (request: OpenAIRequest, context: HandlerContext) => Promise<OpenAIResponse>;

/** Handlers keyed by `METHOD /path`, where a last segment `{name}` takes the rest of the path. */
export type OpenAIRouteTable = Record<string, OpenAIHandler>;
