import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ProcessOutput, runProcess } from '../support/run-boto3.js';
import { type TestServer, startTestServer, testCredentials } from '../support/test-server.js';

/**
 * boto3 and the AWS CLI (v1) against the real server. Python starts slowly, so one process runs every
 * SigV4 scenario and prints a JSON line per scenario; the tests below assert on those lines.
 */

const scenariosScript = join(dirname(fileURLToPath(import.meta.url)), 'python', 'boto3_scenarios.py');

interface ScenarioLine {
  scenario: string;
  result?: unknown;
  raised?: { type: string; message: string; code?: string; status?: number; errorMessage?: string };
  skipped?: string;
}

/** The parent's environment without any AWS setting, and without profile files. */
function clientEnvironment(aws: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
  return {
    ...env,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    PAGER: 'cat',
    PYTHONDONTWRITEBYTECODE: '1',
    ...aws,
  };
}

const sigV4Environment = () =>
  clientEnvironment({ AWS_ACCESS_KEY_ID: testCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: testCredentials.secretAccessKey });

/** Runs a command without blocking the event loop (the server under test shares it). */
const run = (command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ProcessOutput> => runProcess(command, args, env, 30_000);

async function runScenarios(url: string, env: NodeJS.ProcessEnv, names: string[] = []): Promise<Map<string, ScenarioLine>> {
  const { code, stdout, stderr } = await run('python3', [scenariosScript, url, ...names], env);
  assert.equal(code, 0, `boto3_scenarios.py exited with ${code}: ${stderr}`);
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  return new Map(lines.map((line) => JSON.parse(line) as ScenarioLine).map((line) => [line.scenario, line]));
}

/** The scenario's return value; fails the test when it raised or was not run. */
function resultOf<T>(lines: Map<string, ScenarioLine>, name: string): T {
  const line = lines.get(name);
  assert.ok(line, `scenario ${name} did not report`);
  assert.equal(line.raised, undefined, `scenario ${name} raised: ${JSON.stringify(line.raised)}`);
  return line.result as T;
}

/** The error the scenario raised; fails the test when it returned. */
function raisedBy(lines: Map<string, ScenarioLine>, name: string): NonNullable<ScenarioLine['raised']> {
  const line = lines.get(name);
  assert.ok(line, `scenario ${name} did not report`);
  assert.ok(line.raised, `scenario ${name} returned instead of raising: ${JSON.stringify(line.result)}`);
  return line.raised;
}

/** The AWS CLI's output; fails the test when the command failed. */
function cliJson<T>(result: ProcessOutput): T {
  assert.equal(result.code, 0, `aws exited with ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Help pages are rendered with overstrikes (`x<backspace>x`) for bold text. */
function stripOverstrikes(text: string): string {
  let plain = '';
  for (const char of text) plain = char === '\b' ? plain.slice(0, -1) : plain + char;
  return plain;
}

interface ConverseOutput {
  output: { message: { role: string; content: Record<string, unknown>[] } };
  stopReason: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
}

interface StreamOutcome {
  events: string[];
  text: string;
  stopReason?: string;
  usage?: ConverseOutput['usage'];
  streamError?: { type: string; code: string; message: string };
}

interface ModelSummary {
  modelId: string;
  providerName: string;
  responseStreamingSupported: boolean;
}

const anthropicBody = {
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 64,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'What is granite?' }] }],
};

describe('Python clients (boto3, AWS CLI v1)', () => {
  let server: TestServer;
  let sigV4: Promise<Map<string, ScenarioLine>>;
  let bearerGood: Promise<Map<string, ScenarioLine>>;
  let bearerWrong: Promise<Map<string, ScenarioLine>>;
  let workDirectory: string;

  before(async () => {
    server = await startTestServer();
    workDirectory = await mkdtemp(join(tmpdir(), 'outcrop-python-'));
    // Started together; each test awaits the one it reads.
    sigV4 = runScenarios(server.url, sigV4Environment());
    bearerGood = runScenarios(server.url, clientEnvironment({ AWS_BEARER_TOKEN_BEDROCK: testCredentials.apiKey }), ['bearer-converse']);
    bearerWrong = runScenarios(server.url, clientEnvironment({ AWS_BEARER_TOKEN_BEDROCK: 'ABSKbm90LWEtdmFsaWQta2V5' }), ['bearer-converse']);
    for (const pending of [sigV4, bearerGood, bearerWrong]) pending.catch(() => {});
  });

  after(async () => {
    await Promise.allSettled([sigV4, bearerGood, bearerWrong]);
    await server?.close();
    if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
  });

  describe('boto3 bedrock-runtime', () => {
    test('converse returns the text, end_turn and the upstream usage', async () => {
      const result = resultOf<ConverseOutput>(await sigV4, 'converse-text');
      assert.deepEqual(result.output.message, { role: 'assistant', content: [{ text: 'Granite is an igneous rock.' }] });
      assert.equal(result.stopReason, 'end_turn');
      assert.deepEqual(result.usage, { inputTokens: 21, outputTokens: 8, totalTokens: 29 });
    });

    test('converse with a toolConfig returns a toolUse block with parsed input', async () => {
      const result = resultOf<ConverseOutput>(await sigV4, 'converse-tools');
      assert.equal(result.stopReason, 'tool_use');
      assert.deepEqual(result.output.message.content, [
        { toolUse: { toolUseId: 'call_8f2b1c', name: 'get_rock_hardness', input: { rock: 'granite', scale: 'mohs' } } },
      ]);
    });

    test('a toolResult turn reaches the upstream as an OpenAI tool message', async () => {
      resultOf<ConverseOutput>(await sigV4, 'converse-tool-result');
      const upstream = server.upstream.requests.find((request) => JSON.stringify(request.body.messages ?? []).includes('tool-round-trip'));
      assert.ok(upstream, 'the upstream never received the tool round trip');
      const messages = upstream.body.messages as { role: string; content?: unknown; tool_call_id?: string; tool_calls?: unknown }[];
      assert.deepEqual(
        messages.map((message) => message.role),
        ['user', 'assistant', 'tool'],
      );
      const toolCalls = messages[1]!.tool_calls as { id: string; type: string; function: { name: string; arguments: string } }[];
      assert.equal(toolCalls.length, 1);
      assert.equal(toolCalls[0]!.id, 'call_8f2b1c');
      assert.equal(toolCalls[0]!.function.name, 'get_rock_hardness');
      assert.deepEqual(JSON.parse(toolCalls[0]!.function.arguments), { rock: 'granite', scale: 'mohs' });
      const tool = messages[2]!;
      assert.equal(tool.tool_call_id, 'call_8f2b1c');
      assert.deepEqual(JSON.parse(String(tool.content)), { hardness: 6.5 });
    });

    test('converse_stream yields Bedrock events in order and the joined text', async () => {
      const result = resultOf<StreamOutcome>(await sigV4, 'converse-stream-text');
      assert.equal(result.streamError, undefined);
      assert.equal(result.events[0], 'messageStart');
      assert.deepEqual(result.events.slice(-3), ['contentBlockStop', 'messageStop', 'metadata']);
      const middle = result.events.slice(1, -3);
      assert.ok(middle.length > 0 && middle.every((event) => event === 'contentBlockDelta'), `unexpected events ${result.events.join(', ')}`);
      assert.equal(result.text, 'Granite is an igneous rock.');
      assert.equal(result.stopReason, 'end_turn');
      assert.deepEqual(result.usage, { inputTokens: 21, outputTokens: 8, totalTokens: 29 });
    });

    test('converse_stream raises EventStreamError (modelStreamErrorException) after the first text', async () => {
      const result = resultOf<StreamOutcome>(await sigV4, 'converse-stream-midstream-error');
      assert.equal(result.text, 'Basalt forms');
      assert.ok(result.events.includes('contentBlockDelta'));
      assert.ok(!result.events.includes('messageStop'), 'the stream must not end as if it had finished');
      assert.ok(result.streamError, 'botocore raised no error for the failed stream');
      assert.equal(result.streamError.type, 'EventStreamError');
      // Bedrock names the exception event by its union member (lower camel case), and botocore
      // reports that name as the error code, as with real Bedrock ("(modelStreamErrorException)").
      assert.equal(result.streamError.code, 'modelStreamErrorException');
      assert.ok(result.streamError.message.length > 0);
    });

    test('invoke_model speaks the Anthropic Messages body on an anthropic.* alias', async () => {
      const result = resultOf<{ contentType: string; body: Record<string, unknown> }>(await sigV4, 'invoke-model-anthropic');
      assert.equal(result.contentType, 'application/json');
      assert.equal(result.body.type, 'message');
      assert.equal(result.body.role, 'assistant');
      assert.deepEqual(result.body.content, [{ type: 'text', text: 'Granite is an igneous rock.' }]);
      assert.equal(result.body.stop_reason, 'end_turn');
      assert.deepEqual(result.body.usage, { input_tokens: 21, output_tokens: 8 });
    });

    test('invoke_model_with_response_stream yields Anthropic chunks ending with invocation metrics', async () => {
      const { chunks } = resultOf<{ chunks: Record<string, unknown>[] }>(await sigV4, 'invoke-model-stream-anthropic');
      const types = chunks.map((chunk) => chunk.type);
      assert.equal(types[0], 'message_start');
      assert.equal(types.at(-1), 'message_stop');
      assert.deepEqual(
        types.filter((type) => type !== 'content_block_delta'),
        ['message_start', 'content_block_start', 'content_block_stop', 'message_delta', 'message_stop'],
      );
      const text = chunks
        .filter((chunk) => chunk.type === 'content_block_delta')
        .map((chunk) => (chunk.delta as { text: string }).text)
        .join('');
      assert.equal(text, 'Granite is an igneous rock.');
      const messageDelta = chunks.find((chunk) => chunk.type === 'message_delta') as { delta: { stop_reason: string } };
      assert.equal(messageDelta.delta.stop_reason, 'end_turn');
      const metrics = chunks.at(-1)?.['amazon-bedrock-invocationMetrics'] as Record<string, number> | undefined;
      assert.ok(metrics, 'the last chunk has no amazon-bedrock-invocationMetrics');
      assert.equal(metrics.inputTokenCount, 21);
      assert.equal(metrics.outputTokenCount, 8);
      assert.equal(typeof metrics.invocationLatency, 'number');
      assert.equal(typeof metrics.firstByteLatency, 'number');
    });

    test('count_tokens counts a Converse input', async (t) => {
      const line = (await sigV4).get('count-tokens');
      if (line?.skipped) {
        t.skip(line.skipped);
        return;
      }
      assert.deepEqual(resultOf(await sigV4, 'count-tokens'), { inputTokens: 21 });
    });

    test("converse's outputConfig.effort reaches the upstream as reasoning_effort", async (t) => {
      const line = (await sigV4).get('converse-output-effort');
      if (line?.skipped) {
        t.skip(line.skipped);
        return;
      }
      assert.equal(resultOf<ConverseOutput>(await sigV4, 'converse-output-effort').stopReason, 'end_turn');
      const upstream = server.upstream.requests.find((request) => JSON.stringify(request.body.messages ?? []).includes('effort-boto3'));
      assert.ok(upstream, 'the upstream never received the request');
      assert.equal(upstream.body.reasoning_effort, 'low');
    });
  });

  describe('boto3 bedrock (control plane)', () => {
    test('list_foundation_models lists the catalog and filters by provider', async () => {
      const result = resultOf<{ all: ModelSummary[]; byProviderOutcrop: ModelSummary[]; byProviderOther: ModelSummary[] }>(await sigV4, 'list-foundation-models');
      const text = result.all.find((model) => model.modelId === 'outcrop.text');
      assert.ok(text, 'outcrop.text is not listed');
      assert.equal(text.responseStreamingSupported, true);
      assert.equal(text.providerName, 'Outcrop');
      const noStream = result.all.find((model) => model.modelId === 'outcrop.no-stream');
      assert.equal(noStream?.responseStreamingSupported, false);
      assert.ok(result.byProviderOutcrop.some((model) => model.modelId === 'outcrop.text'));
      assert.ok(result.byProviderOutcrop.every((model) => model.providerName === 'Outcrop'));
      assert.deepEqual(result.byProviderOther, []);
    });

    test('get_foundation_model finds a model by ID and by alias', async () => {
      const result = resultOf<{ byId: ModelSummary & { modelArn: string }; byAlias: ModelSummary }>(await sigV4, 'get-foundation-model');
      assert.equal(result.byId.modelId, 'outcrop.text');
      assert.equal(result.byId.modelArn, 'arn:aws:bedrock:us-east-1::foundation-model/outcrop.text');
      assert.equal(result.byAlias.modelId, 'outcrop.text');
    });
  });

  describe('errors through boto3', () => {
    const cases = [
      { scenario: 'unknown-model', code: 'ValidationException', status: 400 },
      { scenario: 'wrong-secret-key', code: 'InvalidSignatureException', status: 403 },
      { scenario: 'unknown-access-key', code: 'UnrecognizedClientException', status: 403 },
      { scenario: 'rate-limited', code: 'ThrottlingException', status: 429 },
    ];
    for (const expected of cases) {
      test(`${expected.scenario} raises ClientError ${expected.code} (${expected.status})`, async () => {
        const raised = raisedBy(await sigV4, expected.scenario);
        assert.equal(raised.code, expected.code, raised.message);
        assert.equal(raised.status, expected.status);
        assert.ok(raised.errorMessage, 'the error has no message');
      });
    }

    test('modeled exceptions become their botocore classes', async () => {
      const lines = await sigV4;
      assert.equal(raisedBy(lines, 'unknown-model').type, 'ValidationException');
      assert.equal(raisedBy(lines, 'rate-limited').type, 'ThrottlingException');
    });
  });

  describe('Bedrock API keys (AWS_BEARER_TOKEN_BEDROCK)', () => {
    test('converse succeeds with only the API key in the environment', async (t) => {
      const line = (await bearerGood).get('bearer-converse');
      if (line?.skipped) {
        t.skip(line.skipped);
        return;
      }
      const result = resultOf<ConverseOutput>(await bearerGood, 'bearer-converse');
      assert.deepEqual(result.output.message.content, [{ text: 'Granite is an igneous rock.' }]);
    });

    test('a wrong API key is refused with 403', async (t) => {
      const line = (await bearerWrong).get('bearer-converse');
      if (line?.skipped) {
        t.skip(line.skipped);
        return;
      }
      const raised = raisedBy(await bearerWrong, 'bearer-converse');
      assert.equal(raised.status, 403, raised.message);
      assert.ok(raised.code?.endsWith('Exception'), raised.message);
    });
  });

  describe('AWS CLI v1', () => {
    test('aws bedrock list-foundation-models', async () => {
      const result = await run('aws', ['bedrock', 'list-foundation-models', '--endpoint-url', server.url, '--output', 'json'], sigV4Environment());
      const { modelSummaries } = cliJson<{ modelSummaries: ModelSummary[] }>(result);
      const text = modelSummaries.find((model) => model.modelId === 'outcrop.text');
      assert.ok(text, 'outcrop.text is not listed');
      assert.equal(text.responseStreamingSupported, true);
    });

    test('aws bedrock-runtime converse', async (t) => {
      const help = await run('aws', ['bedrock-runtime', 'help'], sigV4Environment());
      const page = stripOverstrikes(help.stdout);
      if (!/^\s*[o+]\s*converse\s*$/m.test(page)) {
        t.skip(`this AWS CLI (${help.stderr.trim() || 'v1'}) has no 'aws bedrock-runtime converse' command`);
        return;
      }
      const messages = JSON.stringify([{ role: 'user', content: [{ text: 'hi' }] }]);
      const result = await run(
        'aws',
        ['bedrock-runtime', 'converse', '--model-id', 'outcrop.text', '--messages', messages, '--endpoint-url', server.url, '--output', 'json'],
        sigV4Environment(),
      );
      const output = cliJson<ConverseOutput>(result);
      assert.deepEqual(output.output.message.content, [{ text: 'Granite is an igneous rock.' }]);
      assert.equal(output.stopReason, 'end_turn');
      assert.equal(output.usage.totalTokens, 29);
    });

    test('aws bedrock-runtime invoke-model writes the Anthropic response to the outfile', async (t) => {
      const outfile = join(workDirectory, 'invoke-model.json');
      const invoke = (binaryFormat: string[]) =>
        run(
          'aws',
          [
            'bedrock-runtime',
            'invoke-model',
            '--model-id',
            'anthropic.claude-3-haiku-20240307-v1:0',
            '--body',
            JSON.stringify(anthropicBody),
            ...binaryFormat,
            '--endpoint-url',
            server.url,
            '--output',
            'json',
            outfile,
          ],
          sigV4Environment(),
        );
      let result = await invoke(['--cli-binary-format', 'raw-in-base64-out']);
      if (result.code !== 0 && /Unknown options: --cli-binary-format/.test(result.stderr)) {
        // CLI v1 has no --cli-binary-format and passes blob arguments through raw.
        t.diagnostic('this AWS CLI has no --cli-binary-format; sending the body raw, as v1 does by default');
        result = await invoke([]);
      }
      assert.deepEqual(cliJson(result), { contentType: 'application/json' });
      const body = JSON.parse(await readFile(outfile, 'utf8')) as Record<string, unknown>;
      assert.equal(body.type, 'message');
      assert.deepEqual(body.content, [{ type: 'text', text: 'Granite is an igneous rock.' }]);
      assert.equal(body.stop_reason, 'end_turn');
      assert.equal((body.usage as { input_tokens: number }).input_tokens, 21);
    });
  });
});
