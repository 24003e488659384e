import assert from 'node:assert/strict';
import { type ClientHttp2Session, connect } from 'node:http2';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { bedrockAgentModel, bedrockAgentRuntimeModel, bedrockModel, bedrockRuntimeModel } from '../../src/protocol/generated/index.js';
import { type SignedResponse, sendSigned, sendSignedHttp2 } from '../support/signed-request.js';
import { type TestServer, startTestServer } from '../support/test-server.js';
import { type FuzzCase, RequestGenerator } from './generate-request.js';
import { Random, caseSeed } from './random.js';

/**
 * Sends generated malformed requests, signed so they pass authentication, to every route of the four
 * services, and checks that each one gets a well-formed AWS error (or a success), never a 5xx the
 * server did not mean, and that the server survives. Replay with `FUZZ_SEED=<seed>`.
 */
const seed = Number(process.env.FUZZ_SEED ?? 20_240_917) >>> 0;
const http1Cases = Number(process.env.FUZZ_CASES ?? 10_000);
const http2Cases = Number(process.env.FUZZ_HTTP2_CASES ?? 400);
const concurrency = 16;
const timeoutMs = 15_000;

/** 5xx codes a model backend may cause; only possible when the request names a catalog model. */
const backendErrors = new Set(['ModelErrorException', 'ModelStreamErrorException', 'ServiceUnavailableException', 'ModelTimeoutException', 'ThrottlingException', 'ModelNotReadyException']);

interface Outcome {
  index: number;
  transport: 'h1' | 'h2';
  fuzzCase: FuzzCase;
  response?: SignedResponse;
  error?: Error;
}

/** Why an outcome is wrong, or null when it is what a Bedrock client may get. */
function problem({ response, error, fuzzCase }: Outcome): string | null {
  if (error || !response) return `no response: ${error?.message}`;
  const { status } = response;
  if (typeof response.headers['x-amzn-requestid'] !== 'string') return 'response without x-amzn-requestid';
  if (status < 300) return null;
  const errorType = response.headers['x-amzn-errortype'];
  if (typeof errorType !== 'string' || errorType === '') return 'error response without x-amzn-errortype';
  if (typeof response.body?.message !== 'string') return 'error response without a JSON string message';
  if (response.body.__type !== undefined && response.body.__type !== errorType) return `__type ${String(response.body.__type)} differs from x-amzn-errortype`;
  if (status === 403) return `signed request refused by authentication (${errorType})`;
  if (status < 500) return null;
  if (status === 501 && errorType === 'NotImplementedException') return null;
  if ((status === 424 || status === 503 || status === 408 || status === 429) && fuzzCase.realModel && backendErrors.has(errorType)) return null;
  return `unexpected ${status} ${errorType}`;
}

function describeCase({ index, transport, fuzzCase, response, error }: Outcome): string {
  const body = fuzzCase.body ? fuzzCase.body.subarray(0, 160).toString('utf8') : '<none>';
  const answer = response ? `${response.status} ${String(response.headers['x-amzn-errortype'])} ${response.text.slice(0, 240)}` : String(error);
  return `case ${index} (${transport}, seed ${seed}) ${fuzzCase.service}:${fuzzCase.operation} [${fuzzCase.mutation}] ${fuzzCase.method} ${fuzzCase.path.slice(0, 160)}\n  body: ${body}\n  -> ${answer}`;
}

/** Runs `count` tasks with at most `limit` in flight. */
async function pool(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

function table(rows: [string, number][], heading: [string, string]): string {
  const width = Math.max(heading[0].length, ...rows.map(([key]) => key.length));
  const lines = [`${heading[0].padEnd(width)}  ${heading[1]}`, `${'-'.repeat(width)}  ${'-'.repeat(heading[1].length)}`];
  for (const [key, count] of rows) lines.push(`${key.padEnd(width)}  ${String(count).padStart(heading[1].length)}`);
  return lines.join('\n');
}

describe('fuzzing every route with malformed signed requests', () => {
  let server: TestServer;
  let agent: Agent;
  let session: ClientHttp2Session;
  const generator = new RequestGenerator([bedrockRuntimeModel, bedrockModel, bedrockAgentModel, bedrockAgentRuntimeModel]);
  const outcomes: Outcome[] = [];

  before(async () => {
    server = await startTestServer();
    agent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    session = connect(server.url);
    console.log(`fuzz seed ${seed}: ${http1Cases} HTTP/1.1 + ${http2Cases} HTTP/2 requests over ${generator.operationCount} operations`);
  });

  after(async () => {
    session?.close();
    await agent?.close();
    await server?.close();
  });

  it('answers every HTTP/1.1 request with a well-formed response, never an unintended 5xx', async () => {
    await pool(http1Cases, concurrency, async (index) => {
      const fuzzCase = generator.generate(index, new Random(caseSeed(seed, index)));
      const outcome: Outcome = { index, transport: 'h1', fuzzCase };
      try {
        outcome.response = await sendSigned(server.url, { method: fuzzCase.method, path: fuzzCase.path, headers: fuzzCase.headers, ...(fuzzCase.body ? { body: fuzzCase.body } : {}) }, { dispatcher: agent });
      } catch (error) {
        outcome.error = error as Error;
      }
      outcomes.push(outcome);
    });
    assertOutcomes(outcomes.filter((outcome) => outcome.transport === 'h1'), http1Cases);
  });

  it('answers every HTTP/2 request the same way', async () => {
    const offset = http1Cases;
    await pool(http2Cases, concurrency, async (step) => {
      const index = offset + step;
      const fuzzCase = generator.generate(index, new Random(caseSeed(seed, index)));
      const outcome: Outcome = { index, transport: 'h2', fuzzCase };
      try {
        outcome.response = await sendSignedHttp2(session, server.url, { method: fuzzCase.method, path: fuzzCase.path, headers: fuzzCase.headers, ...(fuzzCase.body ? { body: fuzzCase.body } : {}) }, timeoutMs);
      } catch (error) {
        outcome.error = error as Error;
      }
      outcomes.push(outcome);
    });
    assertOutcomes(outcomes.filter((outcome) => outcome.transport === 'h2'), http2Cases);
  });

  it('still answers a valid Converse afterwards', async () => {
    printSummary(outcomes);
    const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Name one igneous rock.' }] }] });
    const response = await sendSigned(server.url, { method: 'POST', path: '/model/outcrop.text/converse', body }, { dispatcher: agent });
    assert.equal(response.status, 200, response.text);
    assert.equal((response.body?.output as { message?: { role?: string } } | undefined)?.message?.role, 'assistant');
  });
});

function assertOutcomes(outcomes: Outcome[], expected: number): void {
  assert.equal(outcomes.length, expected);
  const failures = outcomes.filter((outcome) => problem(outcome) !== null);
  const report = failures.slice(0, 15).map((outcome) => `${problem(outcome)}\n${describeCase(outcome)}`);
  assert.equal(failures.length, 0, `${failures.length} of ${outcomes.length} requests got a wrong answer:\n${report.join('\n')}`);
}

function printSummary(outcomes: Outcome[]): void {
  const byAnswer = new Map<string, number>();
  const byMutation = new Map<string, number>();
  const operations = new Set<string>();
  for (const { response, error, fuzzCase, transport } of outcomes) {
    const answer = response ? `${response.status} ${response.status >= 300 ? String(response.headers['x-amzn-errortype']) : 'ok'}` : `no response (${error?.name})`;
    byAnswer.set(answer, (byAnswer.get(answer) ?? 0) + 1);
    byAnswer.set(`  via ${transport}`, (byAnswer.get(`  via ${transport}`) ?? 0) + 1);
    byMutation.set(fuzzCase.mutation, (byMutation.get(fuzzCase.mutation) ?? 0) + 1);
    operations.add(`${fuzzCase.service}:${fuzzCase.operation}`);
  }
  const answers = [...byAnswer].filter(([key]) => !key.startsWith(' ')).sort((a, b) => b[1] - a[1]);
  const transports = [...byAnswer].filter(([key]) => key.startsWith(' ')).map(([key, count]): [string, number] => [key.trim(), count]);
  console.log(`fuzz summary (seed ${seed}, ${outcomes.length} requests, ${operations.size} operations)`);
  console.log(table([...answers, ...transports], ['status errortype', 'count']));
  console.log(table([...byMutation].sort((a, b) => b[1] - a[1]), ['mutation', 'count']));
}
