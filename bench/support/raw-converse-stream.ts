import { Client } from 'undici';
import { createEventStreamDecoder } from '../../src/providers/shared/event-stream-parser.js';
import { type SigningOptions, signRequest } from './signed-request.js';

/**
 * ConverseStream over one bare HTTP/1.1 connection, with the request signed before its clock starts and
 * the event stream read by Outcrop's own frame decoder: no SDK client work on either side of the
 * measurement, so a time to first token against a direct library call is what the server adds.
 *
 * @example
 * const raw = new RawConverseStream(signing);
 * const { ms } = await raw.timeToFirstText('bench.llama', { messages: [...], inferenceConfig: { maxTokens: 2 } });
 */
export class RawConverseStream {
  private readonly client: Client;

  constructor(private readonly signing: SigningOptions) {
    this.client = new Client(signing.origin, { pipelining: 0 });
  }

  /** ms from sending the request (`startedAt`, performance.now()) to the first `contentBlockDelta` event; the stream is read to its end. */
  async timeToFirstText(modelId: string, body: unknown): Promise<{ ms: number; startedAt: number }> {
    const request = await signRequest(this.signing, `/model/${encodeURIComponent(modelId)}/converse-stream`, body);
    let first: number | undefined;
    const started = performance.now();
    const response = await this.client.request({ method: request.method, path: request.path, headers: request.headers, body: request.body });
    const decoder = createEventStreamDecoder((message) => {
      if (first === undefined && message.headers[':event-type'] === 'contentBlockDelta') first = performance.now();
    });
    for await (const chunk of response.body) decoder.feed(chunk as Buffer);
    decoder.end();
    if (response.statusCode !== 200 || first === undefined) throw new Error(`ConverseStream answered ${response.statusCode} with no text delta`);
    return { ms: first - started, startedAt: started };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
