import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** A response read to the end. */
export interface ReadResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The text the fake upstream answers with, in one piece or in stream chunks. */
export const expectedText = 'Granite is a coarse-grained igneous rock.';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function fail(what: string, response: ReadResponse, detail: string): never {
  throw new Error(`${what}: ${detail} (HTTP ${response.statusCode}: ${response.body.toString('utf8').slice(0, 300)})`);
}

/** Checks a Converse response through Outcrop: status, JSON shape, the upstream's text, usage. */
export function checkConverse(response: ReadResponse): void {
  if (response.statusCode !== 200) fail('Converse', response, 'expected 200');
  const json = JSON.parse(response.body.toString('utf8')) as {
    output?: { message?: { content?: { text?: string }[] } };
    stopReason?: string;
    usage?: { totalTokens?: number };
  };
  if (json.output?.message?.content?.[0]?.text !== expectedText) fail('Converse', response, 'unexpected output text');
  if (json.stopReason !== 'end_turn') fail('Converse', response, `stopReason ${json.stopReason}`);
  if (json.usage?.totalTokens !== 21) fail('Converse', response, 'usage not passed through');
}

/** Checks a ConverseStream response through Outcrop: event-stream frames in Bedrock's order, the streamed text, usage. */
export function checkConverseStream(response: ReadResponse): void {
  if (response.statusCode !== 200) fail('ConverseStream', response, 'expected 200');
  if (response.headers['content-type'] !== 'application/vnd.amazon.eventstream') fail('ConverseStream', response, `content-type ${response.headers['content-type']}`);
  const events: string[] = [];
  let text = '';
  let totalTokens: number | undefined;
  for (let offset = 0; offset < response.body.length; ) {
    const length = response.body.readUInt32BE(offset);
    const message = codec.decode(response.body.subarray(offset, offset + length));
    offset += length;
    const type = String(message.headers[':event-type']?.value);
    events.push(type);
    const payload = JSON.parse(toUtf8(message.body)) as { delta?: { text?: string }; usage?: { totalTokens?: number } };
    if (type === 'contentBlockDelta') text += payload.delta?.text ?? '';
    if (type === 'metadata') totalTokens = payload.usage?.totalTokens;
  }
  if (events[0] !== 'messageStart' || !events.includes('messageStop') || events.at(-1) !== 'metadata') fail('ConverseStream', response, `events ${events.join(',')}`);
  if (text !== expectedText) fail('ConverseStream', response, `streamed text '${text}'`);
  if (totalTokens !== 21) fail('ConverseStream', response, 'usage not passed through');
}

/** Checks a direct call to the fake upstream. */
export function checkDirect(response: ReadResponse, stream: boolean): void {
  if (response.statusCode !== 200) fail('direct upstream call', response, 'expected 200');
  const body = response.body.toString('utf8');
  if (stream ? !body.endsWith('data: [DONE]\n\n') : !body.includes(expectedText)) fail('direct upstream call', response, 'unexpected body');
}

/**
 * Checks an OpenAI Chat Completions answer through a gateway (Outcrop's `/v1` or Portkey): the
 * upstream's text, whole or as `chat.completion.chunk` deltas ending with `data: [DONE]`, and usage.
 */
export function checkChatCompletion(what: string, response: ReadResponse, stream: boolean): void {
  if (response.statusCode !== 200) fail(what, response, 'expected 200');
  const body = response.body.toString('utf8');
  if (!stream) {
    const json = JSON.parse(body) as { object?: string; choices?: { message?: { content?: string } }[]; usage?: { total_tokens?: number } };
    if (json.object !== 'chat.completion' || json.choices?.[0]?.message?.content !== expectedText) fail(what, response, 'unexpected completion');
    if (json.usage?.total_tokens !== 21) fail(what, response, 'usage not passed through');
    return;
  }
  const events = body.split('\n\n').filter((event) => event.trim() !== '');
  if (events.at(-1) !== 'data: [DONE]') fail(what, response, 'the stream does not end with data: [DONE]');
  let text = '';
  let totalTokens: number | undefined;
  for (const event of events.slice(0, -1)) {
    const json = JSON.parse(event.replace(/^data: /, '')) as { choices?: { delta?: { content?: string } }[]; usage?: { total_tokens?: number } | null };
    text += json.choices?.[0]?.delta?.content ?? '';
    totalTokens = json.usage?.total_tokens ?? totalTokens;
  }
  if (text !== expectedText) fail(what, response, `streamed text '${text}'`);
  if (totalTokens !== 21) fail(what, response, 'usage not passed through');
}
