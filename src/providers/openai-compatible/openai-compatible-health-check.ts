import { type Agent, request } from 'undici';
import { OutcropError } from '../../core/errors.js';
import { upstreamFailure } from '../shared/post-json.js';

export interface OpenAICompatibleHealthCheckOptions {
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  dispatcher: Agent;
  signal?: AbortSignal;
}

/**
 * The health check of an OpenAI-compatible backend: `GET {baseUrl}/models`, which every such
 * server answers cheaply. An unreachable or slow backend, or a 5xx, fails the check; any other
 * answer (even 401 or 404) shows the backend is up.
 *
 * @example
 * await checkOpenAICompatibleHealth({ baseUrl: 'http://127.0.0.1:8000/v1', timeoutMs: 5000, dispatcher });
 */
export async function checkOpenAICompatibleHealth(options: OpenAICompatibleHealthCheckOptions): Promise<void> {
  const url = `${options.baseUrl}/models`;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  let statusCode: number;
  try {
    const response = await request(url, {
      method: 'GET',
      headers,
      signal: options.signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      dispatcher: options.dispatcher,
    });
    statusCode = response.statusCode;
    await response.body.dump();
  } catch (error) {
    throw upstreamFailure(error, url);
  }
  if (statusCode >= 500) {
    throw new OutcropError('ServiceUnavailableException', `The model backend at ${new URL(url).host} failed its health check with status ${statusCode}.`);
  }
}
