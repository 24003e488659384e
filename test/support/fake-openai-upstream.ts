import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'openai');

/** A recorded request, for assertions on what Outcrop sent upstream. */
export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeUpstream {
  url: string;
  requests: RecordedRequest[];
  /** requests whose client went away before the response ended */
  aborted: number;
  close(): Promise<void>;
}

/**
 * A local server that replays recorded OpenAI Chat Completions responses. The request's `model`
 * picks the fixture: `<model>.json` for plain calls, `<model>.chunks.txt` (raw SSE) for streams.
 * Special models: `rate-limited` (429 + Retry-After), `unavailable` (503 + Retry-After), `server-error` (500), `slow` (answers after
 * 3 s), `endless` (streams forever until the client leaves), `rag-answer` (answers from the prompt's
 * knowledge-base search results, see `respondRagAnswer`). `GET /models` lists one model (health checks).
 */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const state = { requests: [] as RecordedRequest[], aborted: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // recorded as empty
      }
      state.requests.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.method === 'GET' && (req.url ?? '').endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'text', object: 'model' }] }));
        return;
      }
      if ((req.url ?? '').endsWith('/embeddings') && String(body.model).startsWith('embedding')) respondEmbeddings(String(body.model), body.input, res);
      else if (body.model === 'rag-answer') respondRagAnswer(body, res);
      else respond(String(body.model ?? ''), body.stream === true, res, state);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    get aborted() {
      return state.aborted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * `POST /v1/embeddings` for models named `embedding*`: the recorded `<model>.json`, its vectors
 * repeated in order to give one per input, listed last index first (the API orders by `index`, not
 * by position). Other models take `respond`'s error paths.
 */
function respondEmbeddings(model: string, input: unknown, res: ServerResponse): void {
  const recorded = JSON.parse(readFileSync(join(fixtures, `${model}.json`), 'utf8')) as { data: { embedding: number[] }[] };
  const count = Array.isArray(input) ? input.length : 1;
  const data = Array.from({ length: count }, (_, index) => ({ object: 'embedding', index, embedding: recorded.data[index % recorded.data.length]?.embedding }));
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ...recorded, data: data.reverse() }));
}

function respond(model: string, stream: boolean, res: ServerResponse, state: { aborted: number }): void {
  if (model === 'rate-limited') {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
    res.end(JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }));
    return;
  }
  if (model === 'unavailable') {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ error: { message: 'The server is overloaded', type: 'server_error' } }));
    return;
  }
  if (model === 'server-error') {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error' } }));
    return;
  }
  if (model === 'bad-request') {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'error', message: "This model's maximum context length is 8192 tokens.", type: 'BadRequestError', code: 400 }));
    return;
  }
  if (model === 'slow') {
    const timer = setTimeout(() => respond('text', stream, res, state), 3000);
    res.on('close', () => clearTimeout(timer));
    return;
  }
  if (model === 'endless') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const timer = setInterval(() => {
      res.write(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'la ' }, finish_reason: null }] })}\n\n`);
    }, 10);
    res.on('close', () => {
      clearInterval(timer);
      if (!res.writableFinished) state.aborted++;
    });
    return;
  }
  if (stream) {
    const text = readFileSync(join(fixtures, `${model}.chunks.txt`), 'utf8');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    // Write in small pieces, splitting events across writes as real servers do.
    const pieces = text.match(/[\s\S]{1,37}/g) ?? [];
    let index = 0;
    const next = () => {
      if (index >= pieces.length) {
        res.end();
        return;
      }
      res.write(pieces[index++]);
      setImmediate(next);
    };
    next();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(readFileSync(join(fixtures, `${model}.json`), 'utf8'));
}

/**
 * `rag-answer`: a stand-in for a model following Outcrop's knowledge-base prompts. A query-rewrite
 * prompt is answered with the follow-up question plus the first earlier question; a generation prompt
 * with the first sentence of search result 1 in the answer-part format, citing source 1 (or with
 * "No results." when there are none). Streams in 6-character pieces when asked to.
 */
function respondRagAnswer(body: Record<string, unknown>, res: ServerResponse): void {
  const messages = (body.messages ?? []) as { content: unknown }[];
  const prompt = messages.map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content))).join('\n');
  let text: string;
  if (prompt.includes('query creation agent')) {
    const question = /<question>\s*([\s\S]*?)\s*<\/question>/.exec(prompt)?.[1] ?? '';
    const earlier = /User: (.*)/.exec(prompt)?.[1] ?? '';
    text = `${earlier} ${question}`.trim();
  } else {
    const first = /<search_result>\s*<content>\s*([\s\S]*?)\s*<\/content>\s*<source>1<\/source>/.exec(prompt)?.[1];
    const sentence = first ? (/^[\s\S]*?[.!?](?=\s|$)/.exec(first)?.[0] ?? first) : undefined;
    text = sentence ? `<answer>\n<answer_part>\n<text>\n${sentence}\n</text>\n<sources>\n<source>1</source>\n</sources>\n</answer_part>\n</answer>` : 'No results.';
  }
  const usage = { prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: Math.ceil(text.length / 4), total_tokens: Math.ceil((prompt.length + text.length) / 4) };
  if (body.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'chatcmpl-rag', object: 'chat.completion', created: 1732240000, model: 'rag-answer', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-rag', object: 'chat.completion.chunk', created: 1732240000, model: 'rag-answer', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.write(chunk({ role: 'assistant', content: '' }, null));
  for (const piece of text.match(/[\s\S]{1,6}/g) ?? []) res.write(chunk({ content: piece }, null));
  res.write(chunk({}, 'stop'));
  res.write(`data: ${JSON.stringify({ id: 'chatcmpl-rag', object: 'chat.completion.chunk', created: 1732240000, model: 'rag-answer', choices: [], usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}
