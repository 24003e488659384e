import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { OutcropError } from '../../src/core/errors.js';
import { verifySigV4 } from '../../src/protocol/sigv4.js';
import { type ReplayReply, type ReplayRequest, type ReplayUpstream, startReplayUpstream } from './replay-upstream.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/**
 * AWS event-stream bytes from a recorded ConverseStream (`*.chunks.txt`: one JSON object a line,
 * `{"<eventType>": payload}`). Members ending in `Exception` become exception messages, as Bedrock
 * sends them.
 */
export function encodeRecordedEvents(text: string): Buffer[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const [[name, payload]] = Object.entries(JSON.parse(line) as Record<string, unknown>) as [[string, unknown]];
      const kind = name.endsWith('Exception') ? 'exception' : 'event';
      return Buffer.from(
        codec.encode({
          headers: {
            ':message-type': { type: 'string', value: kind },
            [kind === 'event' ? ':event-type' : ':exception-type']: { type: 'string', value: name },
            ':content-type': { type: 'string', value: 'application/json' },
          },
          body: fromUtf8(JSON.stringify(payload)),
        }),
      );
    });
}

/** A streamed Bedrock answer: the recorded events, one frame per write. */
export function eventStreamReply(text: string): ReplayReply {
  return { headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'fake-request' }, pieces: encodeRecordedEvents(text) };
}

/** A Bedrock error answer, as restJson1 sends it. */
export function bedrockErrorReply(status: number, code: string, body: string): ReplayReply {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/com.amazon.bedrock/` }, body };
}

/**
 * A local stand-in for Amazon Bedrock that checks every request's SigV4 signature (Outcrop's own
 * verifier, service `bedrock`) against the one key pair it knows, answering
 * `InvalidSignatureException` like Bedrock when it does not verify, and otherwise replays what the
 * test's route gives.
 */
export async function startFakeBedrock(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<ReplayUpstream & { verified: number }> {
  let verified = 0;
  const upstream = await startReplayUpstream(undefined, async (request: ReplayRequest) => {
    const [rawPath = '', query = ''] = request.path.split('?');
    try {
      if (credentials.sessionToken !== undefined && request.headers['x-amz-security-token'] !== credentials.sessionToken) {
        throw new OutcropError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      }
      await verifySigV4(
        { method: request.method, rawPath, query: new URLSearchParams(query), headers: request.headers, body: request.rawBody },
        String(request.headers.authorization ?? ''),
        (id) => (id === credentials.accessKeyId ? { secretAccessKey: credentials.secretAccessKey, ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}) } : null),
      );
    } catch (error) {
      const code = OutcropError.isInstance(error) ? error.code : 'InvalidSignatureException';
      return bedrockErrorReply(403, code, JSON.stringify({ message: (error as Error).message }));
    }
    verified++;
    return undefined;
  });
  return Object.defineProperty(upstream, 'verified', { get: () => verified }) as ReplayUpstream & { verified: number };
}
