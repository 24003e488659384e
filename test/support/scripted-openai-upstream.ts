import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One planned answer: text, tool calls, or both; or a function of the request that returns one. */
export type ScriptedReply =
  | {
      text?: string;
      toolCalls?: Array<{ name: string; arguments: Record<string, unknown> }>;
      delayMs?: number;
      status?: number;
      /** streamed requests: send the text in deltas of this many characters (default: one delta) */
      deltaChars?: number;
      /** streamed requests: after this many text deltas, wait for `gate` before sending the rest */
      pauseAfterDeltas?: number;
      gate?: Promise<unknown>;
    }
  | ((request: Record<string, unknown>) => ScriptedReply);

export interface ScriptedUpstream {
  url: string;
  /** every chat request body, in arrival order */
  requests: Array<{ model: string; body: Record<string, unknown> }>;
  /** queues answers for an upstream model name; they are used in order */
  plan(model: string, replies: ScriptedReply[]): void;
  /** the answer once a model's queue is empty (default: text `"(no reply planned)"`) */
  fallback(model: string, reply: ScriptedReply): void;
  /** planned answers not used yet */
  remaining(model: string): number;
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible Chat Completions server that answers each model with a planned sequence of
 * replies (text or tool calls), so agent flows can be driven step by step. Plain and streamed
 * (`stream: true`) requests are both answered. `GET /models` answers for health checks.
 *
 * @example
 * const upstream = await startScriptedUpstream();
 * upstream.plan('agent', [{ toolCalls: [{ name: 'weather__getWeather', arguments: { city: 'Oslo' } }] }, { text: 'It is sunny.' }]);
 */
export async function startScriptedUpstream(): Promise<ScriptedUpstream> {
  const queues = new Map<string, ScriptedReply[]>();
  const fallbacks = new Map<string, ScriptedReply>();
  const requests: ScriptedUpstream['requests'] = [];
  let counter = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [...queues.keys()].map((id) => ({ id, object: 'model' })) }));
        return;
      }
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // answered below with the fallback
      }
      const model = String(body.model ?? '');
      requests.push({ model, body });
      let reply: ScriptedReply = queues.get(model)?.shift() ?? fallbacks.get(model) ?? { text: '(no reply planned)' };
      while (typeof reply === 'function') reply = reply(body);
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (reply.status && reply.status >= 400) {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
        return;
      }
      const id = `chatcmpl-${++counter}`;
      const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({ id: `call_${counter}_${index}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } }));
      const finish = toolCalls.length ? 'tool_calls' : 'stop';
      const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
      if (body.stream === true) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
        const base = { id, object: 'chat.completion.chunk', created: 0, model };
        const text = reply.text ?? '';
        const size = reply.deltaChars && reply.deltaChars > 0 ? reply.deltaChars : Math.max(1, text.length);
        const deltas = text ? Array.from({ length: Math.ceil(text.length / size) }, (_, index) => text.slice(index * size, (index + 1) * size)) : [''];
        for (const [index, delta] of deltas.entries()) {
          if (reply.gate && index === reply.pauseAfterDeltas) await reply.gate;
          send({ ...base, choices: [{ index: 0, delta: { ...(index === 0 ? { role: 'assistant' } : {}), content: delta }, finish_reason: null }] });
        }
        for (const [index, call] of toolCalls.entries()) send({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, ...call }] }, finish_reason: null }] });
        send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }], usage });
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created: 0,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: reply.text ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) }, finish_reason: finish }],
          usage,
        }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    plan(model, replies) {
      queues.set(model, [...(queues.get(model) ?? []), ...replies]);
    },
    fallback(model, reply) {
      fallbacks.set(model, reply);
    },
    remaining(model) {
      return queues.get(model)?.length ?? 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
