import type { Agent } from 'undici';
import { postToUpstream, type UpstreamResponse } from '../shared/post-json.js';
import { mapCohereError } from './cohere-error.js';

/** What every Cohere model needs to reach the API. */
export interface CohereSettings {
  /** provider instance name */
  name: string;
  /** e.g. `https://api.cohere.com/v2` */
  baseUrl: string;
  /** `Authorization` and configured headers */
  headers: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
  dispatcher: Agent;
}

/** POSTs to one Cohere endpoint (`/chat`, `/embed`, `/rerank`); an HTTP error becomes Bedrock's. */
export async function postToCohere(settings: CohereSettings, path: string, body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<UpstreamResponse> {
  return postToUpstream(settings, { url: `${settings.baseUrl}${path}`, headers: settings.headers, body, signal }, mapCohereError);
}
