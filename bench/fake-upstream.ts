/**
 * A minimal, fast OpenAI-compatible upstream for the gateway benchmark, run as its own process so
 * that its CPU time is not charged to the load generator. Answers `POST .../chat/completions` with
 * a canned completion, or for `stream: true` a short SSE stream (role, three content chunks, finish,
 * usage, `[DONE]`): the first event leaves with the headers, the rest one per event-loop turn.
 *
 * Prints `{"url":"http://127.0.0.1:<port>/v1"}` on stdout once it listens; stops on SIGTERM.
 *
 * @example
 * node --import tsx bench/fake-upstream.ts
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const created = 1732240000;
const usage = { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 };

const completion = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created,
    model: 'bench-model',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Granite is a coarse-grained igneous rock.' }, logprobs: null, finish_reason: 'stop' }],
    usage,
  }),
);

function chunk(delta: Record<string, unknown>, finishReason: string | null): Record<string, unknown> {
  return { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model: 'bench-model', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
}

const streamEvents: Buffer[] = [
  chunk({ role: 'assistant', content: '' }, null),
  chunk({ content: 'Granite is' }, null),
  chunk({ content: ' a coarse-grained' }, null),
  chunk({ content: ' igneous rock.' }, null),
  chunk({}, 'stop'),
  { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model: 'bench-model', choices: [], usage },
]
  .map((event) => Buffer.from(`data: ${JSON.stringify(event)}\n\n`))
  .concat(Buffer.from('data: [DONE]\n\n'));

const jsonHeaders = { 'content-type': 'application/json', 'content-length': String(completion.length) };
const streamHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

function writeStream(res: ServerResponse, index: number): void {
  if (res.destroyed) return;
  const event = streamEvents[index];
  if (event === undefined) {
    res.end();
    return;
  }
  res.write(event);
  setImmediate(writeStream, res, index + 1);
}

function respond(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"not found"}}');
    return;
  }
  let stream: boolean;
  try {
    stream = (JSON.parse(body.toString('utf8')) as { stream?: unknown }).stream === true;
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"body is not JSON"}}');
    return;
  }
  if (!stream) {
    res.writeHead(200, jsonHeaders);
    res.end(completion);
    return;
  }
  res.writeHead(200, streamHeaders);
  writeStream(res, 0);
}

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (data: Buffer) => chunks.push(data));
  req.on('end', () => respond(req, res, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/v1` })}\n`);
});

process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
