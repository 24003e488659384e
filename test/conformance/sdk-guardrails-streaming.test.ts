import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BedrockClient, CreateGuardrailCommand } from '@aws-sdk/client-bedrock';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  type ConverseStreamOutput,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { createSqliteGuardrailStore } from '../../src/storage/guardrails/sqlite/sqlite-guardrail-store.js';
import { openSqliteDatabase } from '../../src/storage/sql/sqlite/open-sqlite-database.js';
import { type TestServer, startTestServer, testCredentials } from '../support/test-server.js';

const credentials = { accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey };
const clientsOf = (server: TestServer) => ({
  bedrock: new BedrockClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 }),
  runtime: new BedrockRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 }),
});
const say = (text: string) => [{ role: 'user' as const, content: [{ text }] }];
const decoder = new TextDecoder();
/** A family's response JSON, read loosely: the assertions check each path they use. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted path by path
type ResponseBody = Record<string, any>;
const clean = 'Granite forms when magma cools slowly deep underground';

interface Collected {
  events: ConverseStreamOutput[];
  /** text per content block index */
  blocks: string[];
  stopReason: string | undefined;
  metadata: Extract<ConverseStreamOutput, { metadata: unknown }>['metadata'] | undefined;
}

async function collect(runtime: BedrockRuntimeClient, input: ConverseStreamCommandInput): Promise<Collected> {
  const response = await runtime.send(new ConverseStreamCommand(input));
  const collected: Collected = { events: [], blocks: [], stopReason: undefined, metadata: undefined };
  for await (const event of response.stream ?? []) {
    collected.events.push(event);
    if (event.contentBlockDelta?.delta?.text !== undefined) {
      const index = event.contentBlockDelta.contentBlockIndex ?? 0;
      collected.blocks[index] = (collected.blocks[index] ?? '') + event.contentBlockDelta.delta.text;
    }
    if (event.messageStop) collected.stopReason = event.messageStop.stopReason;
    if (event.metadata) collected.metadata = event.metadata;
  }
  return collected;
}

async function invokeStream(runtime: BedrockRuntimeClient, input: ConstructorParameters<typeof InvokeModelWithResponseStreamCommand>[0]): Promise<Array<Record<string, unknown>>> {
  const response = await runtime.send(new InvokeModelWithResponseStreamCommand(input));
  const chunks: Array<Record<string, unknown>> = [];
  for await (const event of response.body ?? []) {
    if (event.chunk?.bytes) chunks.push(JSON.parse(decoder.decode(event.chunk.bytes)) as Record<string, unknown>);
  }
  return chunks;
}

describe('guardrails on streams and InvokeModel, through the AWS SDK', () => {
  let server: TestServer;
  let runtime: BedrockRuntimeClient;
  let guardrailId = '';
  const config = (extra: Record<string, unknown> = {}) => ({ guardrailIdentifier: guardrailId, guardrailVersion: 'DRAFT', ...extra });

  before(async () => {
    server = await startTestServer({
      extraConfig: `  - { id: outcrop.email-answer, provider: fake, upstreamModel: email-answer, providerName: Outcrop }
  - { id: outcrop.basalt-late, provider: fake, upstreamModel: basalt-late, providerName: Outcrop }
  - { id: outcrop.basalt-late.anthropic, provider: fake, upstreamModel: basalt-late, providerName: Outcrop, family: anthropic }
  - { id: outcrop.titan-email, provider: fake, upstreamModel: email-answer, providerName: Outcrop, family: amazon-titan-text }`,
    });
    const clients = clientsOf(server);
    runtime = clients.runtime;
    const created = await clients.bedrock.send(
      new CreateGuardrailCommand({
        name: 'stream-guard',
        wordPolicyConfig: { wordsConfig: [{ text: 'basalt' }] },
        sensitiveInformationPolicyConfig: { piiEntitiesConfig: [{ type: 'EMAIL', action: 'ANONYMIZE' }] },
        blockedInputMessaging: 'That input is blocked.',
        blockedOutputsMessaging: 'That answer is blocked.',
      }),
    );
    guardrailId = created.guardrailId ?? '';
  });
  after(async () => {
    await server.close();
  });

  it('ConverseStream: a blocked input streams the blocked messaging without calling the model, with the exact trace', async () => {
    const before = server.upstream.requests.length;
    const result = await collect(runtime, { modelId: 'outcrop.text', messages: say('Tell me about basalt.'), guardrailConfig: config({ trace: 'enabled' }) });
    assert.equal(server.upstream.requests.length, before);
    assert.deepEqual(result.blocks, ['That input is blocked.']);
    assert.equal(result.stopReason, 'guardrail_intervened');
    assert.deepEqual(result.metadata?.usage, { inputTokens: 0, outputTokens: 0, totalTokens: 0 });
    const trace = result.metadata?.trace?.guardrail;
    assert.deepEqual(Object.keys(trace ?? {}).sort(), ['actionReason', 'inputAssessment']);
    assert.equal(trace?.actionReason, 'Guardrail blocked.');
    const assessment = trace?.inputAssessment?.[guardrailId];
    assert.deepEqual(assessment?.wordPolicy, { customWords: [{ match: 'basalt', action: 'BLOCKED', detected: true }], managedWordLists: [] });
    assert.equal(assessment?.invocationMetrics?.usage?.wordPolicyUnits, 1);
    assert.deepEqual(assessment?.invocationMetrics?.guardrailCoverage, { textCharacters: { guarded: 21, total: 21 } });
  });

  it('ConverseStream sync: masks an email before releasing it', async () => {
    const result = await collect(runtime, { modelId: 'outcrop.email-answer', messages: say('Where do I send samples?'), guardrailConfig: config({ streamProcessingMode: 'sync' }) });
    assert.deepEqual(result.blocks, ['Write to {EMAIL} for samples.']);
    assert.equal(result.stopReason, 'end_turn');
    assert.ok(!JSON.stringify(result.events).includes('rocks@example.com'), 'the address never reaches the client');
    assert.equal(result.metadata?.trace, undefined);
  });

  it('ConverseStream sync: a batch that fails late is never released; earlier batches are', async () => {
    const result = await collect(runtime, { modelId: 'outcrop.basalt-late', messages: say('Compare granite and basalt'.replace('basalt', 'other rocks')), guardrailConfig: config({ trace: 'enabled_full' }) });
    assert.equal(result.stopReason, 'guardrail_intervened');
    assert.equal(result.blocks.length, 1);
    const text = result.blocks[0] ?? '';
    assert.ok(text.startsWith(clean), 'the first batch passed and was released');
    assert.ok(text.endsWith('That answer is blocked.'));
    assert.ok(!/basalt/i.test(text), 'the failing batch is withheld');
    const trace = result.metadata?.trace?.guardrail;
    const outputs = trace?.outputAssessments?.[guardrailId] ?? [];
    assert.equal(outputs.length, 2, 'one assessment per batch');
    assert.equal(outputs[0]?.wordPolicy, undefined);
    assert.equal(outputs[1]?.wordPolicy?.customWords?.[0]?.match, 'basalt');
    assert.match(trace?.modelOutput?.[0] ?? '', /basalt cools quickly/);
    assert.ok(result.metadata?.usage?.outputTokens, 'the model usage is reported');
  });

  it('ConverseStream async: text is released at once and the stream ends with the intervention when a later batch fails', async () => {
    const result = await collect(runtime, { modelId: 'outcrop.basalt-late', messages: say('Compare granite with other rocks'), guardrailConfig: config({ streamProcessingMode: 'async', trace: 'enabled' }) });
    assert.equal(result.stopReason, 'guardrail_intervened');
    assert.ok(result.blocks[0]?.startsWith(clean), 'released before any check finished');
    assert.match(result.blocks[0] ?? '', /basalt cools quickly/, 'async mode released the failing text before its check ended');
    assert.equal(result.blocks.at(-1), 'That answer is blocked.');
    const stops = result.events.filter((event) => event.messageStop);
    assert.equal(stops.length, 1);
    assert.equal(result.metadata?.trace?.guardrail?.outputAssessments?.[guardrailId]?.at(-1)?.wordPolicy?.customWords?.[0]?.action, 'BLOCKED');
  });

  it('ConverseStream: passes clean answers unchanged in both modes', async () => {
    for (const mode of ['sync', 'async'] as const) {
      const result = await collect(runtime, { modelId: 'outcrop.text', messages: say('What is granite?'), guardrailConfig: config({ streamProcessingMode: mode }) });
      assert.deepEqual(result.blocks, ['Granite is an igneous rock.']);
      assert.equal(result.stopReason, 'end_turn');
    }
  });

  it('InvokeModel (Anthropic body): a blocked input answers in the family body with the guardrail action and trace', async () => {
    const before = server.upstream.requests.length;
    const response = await runtime.send(
      new InvokeModelCommand({
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        contentType: 'application/json',
        body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: 'Tell me about basalt.' }] }),
        guardrailIdentifier: guardrailId,
        guardrailVersion: 'DRAFT',
        trace: 'ENABLED',
      }),
    );
    assert.equal(server.upstream.requests.length, before);
    const body = JSON.parse(decoder.decode(response.body)) as ResponseBody;
    assert.equal(body.type, 'message');
    assert.deepEqual(body.content, [{ type: 'text', text: 'That input is blocked.' }]);
    assert.equal(body['amazon-bedrock-guardrailAction'], 'INTERVENED');
    assert.deepEqual(Object.keys(body['amazon-bedrock-trace'].guardrail).sort(), ['actionReason', 'input']);
    assert.equal(body['amazon-bedrock-trace'].guardrail.input[guardrailId].wordPolicy.customWords[0].match, 'basalt');
  });

  it('InvokeModel (Anthropic body): guards only tagged input, strips the tags before the model, and reports NONE', async () => {
    const response = await runtime.send(
      new InvokeModelCommand({
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        body: JSON.stringify({
          anthropic_version: 'bedrock-2023-05-31',
          max_tokens: 100,
          messages: [{ role: 'user', content: 'Context about basalt. <amazon-bedrock-guardrails-guardContent_xy7>What is granite?</amazon-bedrock-guardrails-guardContent_xy7>' }],
          'amazon-bedrock-guardrailConfig': { tagSuffix: 'xy7' },
        }),
        guardrailIdentifier: guardrailId,
        guardrailVersion: 'DRAFT',
      }),
    );
    const body = JSON.parse(decoder.decode(response.body)) as ResponseBody;
    assert.deepEqual(body.content, [{ type: 'text', text: 'Granite is an igneous rock.' }]);
    assert.equal(body['amazon-bedrock-guardrailAction'], 'NONE');
    assert.equal(body['amazon-bedrock-trace'], undefined);
    const sent = JSON.stringify(server.upstream.requests.at(-1)?.body);
    assert.ok(sent.includes('Context about basalt. What is granite?'), 'the model gets the text without tags');
    assert.ok(!sent.includes('amazon-bedrock-guardrail'), 'no guardrail markup reaches the model');
  });

  it('InvokeModel (Titan body): masks an email in the output and traces the output assessment', async () => {
    const response = await runtime.send(
      new InvokeModelCommand({
        modelId: 'outcrop.titan-email',
        body: JSON.stringify({ inputText: 'Where do I send samples?', textGenerationConfig: { maxTokenCount: 50 } }),
        guardrailIdentifier: guardrailId,
        guardrailVersion: 'DRAFT',
        trace: 'ENABLED',
      }),
    );
    const body = JSON.parse(decoder.decode(response.body)) as ResponseBody;
    assert.equal(body.results[0].outputText, 'Write to {EMAIL} for samples.');
    assert.equal(body['amazon-bedrock-guardrailAction'], 'INTERVENED');
    assert.equal(body['amazon-bedrock-trace'].guardrail.outputs[0][guardrailId].sensitiveInformationPolicy.piiEntities[0].action, 'ANONYMIZED');
  });

  it('InvokeModel: refuses a body guardrail config without the guardrail headers, and unknown guardrails', async () => {
    await assert.rejects(
      runtime.send(new InvokeModelCommand({ modelId: 'outcrop.family.amazon-titan-text', body: JSON.stringify({ inputText: 'hi', 'amazon-bedrock-guardrailConfig': { tagSuffix: 'a' } }) })),
      (error: Error & { $metadata: { httpStatusCode: number } }) => error.name === 'ValidationException' && error.$metadata.httpStatusCode === 400 && /no guardrail is specified/.test(error.message),
    );
    await assert.rejects(
      runtime.send(new InvokeModelCommand({ modelId: 'outcrop.family.amazon-titan-text', body: JSON.stringify({ inputText: 'hi' }), guardrailIdentifier: 'nosuchguard1', guardrailVersion: '1' })),
      (error: Error) => error.name === 'ValidationException' && /does not exist/.test(error.message),
    );
    await assert.rejects(
      runtime.send(new InvokeModelCommand({ modelId: 'outcrop.family.amazon-titan-text', body: JSON.stringify({ inputText: 'hi' }), guardrailIdentifier: guardrailId })),
      (error: Error) => error.name === 'ValidationException' && /version must be specified/.test(error.message),
    );
  });

  it('InvokeModelWithResponseStream (Anthropic body, synchronous): the late failing batch is withheld and the last chunk carries the action', async () => {
    const chunks = await invokeStream(runtime, {
      modelId: 'outcrop.basalt-late.anthropic',
      body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 400, messages: [{ role: 'user', content: 'Compare granite with other rocks' }] }),
      guardrailIdentifier: guardrailId,
      guardrailVersion: 'DRAFT',
      trace: 'ENABLED',
    });
    const text = chunks.map((chunk) => (chunk.type === 'content_block_delta' ? ((chunk.delta as { text?: string }).text ?? '') : '')).join('');
    assert.ok(text.startsWith(clean));
    assert.ok(text.endsWith('That answer is blocked.'));
    assert.ok(!/basalt/i.test(text));
    const last = chunks.at(-1) as ResponseBody;
    assert.equal(last.type, 'message_stop');
    assert.ok(last['amazon-bedrock-invocationMetrics']);
    assert.equal(last['amazon-bedrock-guardrailAction'], 'INTERVENED');
    assert.equal(last['amazon-bedrock-trace'].guardrail.outputs.length, 2);
    assert.equal(chunks.slice(0, -1).some((chunk) => 'amazon-bedrock-guardrailAction' in chunk), false);
  });

  it('InvokeModelWithResponseStream (Titan body, asynchronous): releases text at once and reports the intervention at the end', async () => {
    const chunks = await invokeStream(runtime, {
      modelId: 'outcrop.titan-email',
      body: JSON.stringify({ inputText: 'Where do I send samples?', 'amazon-bedrock-guardrailConfig': { streamProcessingMode: 'ASYNCHRONOUS' } }),
      guardrailIdentifier: guardrailId,
      guardrailVersion: 'DRAFT',
    });
    const text = chunks.map((chunk) => String(chunk.outputText ?? '')).join('');
    assert.equal(text, 'Write to rocks@example.com for samples.', 'asynchronous mode does not mask (as Bedrock documents)');
    const last = chunks.at(-1) as ResponseBody;
    assert.equal(last['amazon-bedrock-guardrailAction'], 'INTERVENED');
    assert.equal(last['amazon-bedrock-trace'], undefined);
  });

  it('counts interventions on /metrics and records them in the store without their text', async () => {
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${testCredentials.apiKey}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
    const text = await response.text();
    const blockedInputs = new RegExp(`outcrop_guardrail_interventions_total\\{guardrail_id="${guardrailId}",guardrail_version="DRAFT",source="INPUT",policy="wordPolicy",action="BLOCKED"\\} (\\d+)`).exec(text);
    assert.ok(Number(blockedInputs?.[1]) >= 2, 'the blocked inputs of ConverseStream and InvokeModel are counted');
    assert.match(text, new RegExp(`outcrop_guardrail_interventions_total\\{guardrail_id="${guardrailId}",guardrail_version="DRAFT",source="OUTPUT",policy="sensitiveInformationPolicy",action="ANONYMIZED"\\} \\d+`));
    assert.match(text, new RegExp(`outcrop_guardrail_evaluation_duration_seconds_count\\{guardrail_id="${guardrailId}",source="OUTPUT",outcome="none"\\} \\d+`));
    const unauthenticated = await fetch(`${server.url}/metrics`);
    assert.equal(unauthenticated.status, 403);

    const database = openSqliteDatabase({ path: join(server.dataDir, 'outcrop.db') });
    try {
      const records = await (await createSqliteGuardrailStore(database)).listInterventions({ guardrailId });
      const operations = new Set(records.map((record) => record.operation));
      for (const operation of ['ConverseStream', 'InvokeModel', 'InvokeModelWithResponseStream']) assert.ok(operations.has(operation), `${operation} recorded`);
      const blocked = records.find((record) => record.operation === 'ConverseStream' && record.source === 'INPUT');
      assert.deepEqual(blocked?.policies, [{ policy: 'wordPolicy', action: 'BLOCKED', count: 1 }]);
      assert.equal(blocked?.action, 'BLOCKED');
      assert.match(blocked?.requestId ?? '', /^[0-9a-f-]{36}$/);
      assert.ok(records.every((record) => record.content === undefined), 'no text is kept by default');
    } finally {
      await database.close();
    }
  });
});

describe('a guardrail check that fails fails the call', () => {
  let server: TestServer;
  let runtime: BedrockRuntimeClient;
  let guardrailId = '';
  const grounded = (qualifier: 'grounding_source' | 'query', text: string) => ({ guardContent: { text: { text, qualifiers: [qualifier] } } });
  const messages = [{ role: 'user' as const, content: [grounded('grounding_source', 'Granite is an igneous rock.'), grounded('query', 'What is granite?')] }];

  before(async () => {
    // The guardrails' embedding model is an upstream that answers 500: grounding checks cannot run.
    server = await startTestServer({ extraConfig: '  - { id: outcrop.use-lite-v1, kind: embedding, provider: fake, upstreamModel: server-error, providerName: Outcrop, dimensions: 512 }' });
    const clients = clientsOf(server);
    runtime = clients.runtime;
    const created = await clients.bedrock.send(
      new CreateGuardrailCommand({
        name: 'grounded',
        contextualGroundingPolicyConfig: { filtersConfig: [{ type: 'GROUNDING', threshold: 0.5 }] },
        blockedInputMessaging: 'Blocked.',
        blockedOutputsMessaging: 'Blocked.',
      }),
    );
    guardrailId = created.guardrailId ?? '';
  });
  after(async () => {
    await server.close();
  });

  it('Converse answers an error instead of the unchecked text', async () => {
    await assert.rejects(
      runtime.send(new ConverseCommand({ modelId: 'outcrop.text', messages, guardrailConfig: { guardrailIdentifier: guardrailId, guardrailVersion: 'DRAFT' } })),
      (error: Error & { $metadata: { httpStatusCode: number } }) => {
        assert.ok(error.$metadata.httpStatusCode >= 500, `status ${error.$metadata.httpStatusCode}`);
        return true;
      },
    );
  });

  it('ConverseStream ends with an exception event and releases none of the unchecked text', async () => {
    for (const mode of ['sync', 'async'] as const) {
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          const response = await runtime.send(new ConverseStreamCommand({ modelId: 'outcrop.text', messages, guardrailConfig: { guardrailIdentifier: guardrailId, guardrailVersion: 'DRAFT', streamProcessingMode: mode } }));
          for await (const event of response.stream ?? []) if (event.contentBlockDelta?.delta?.text) seen.push(event.contentBlockDelta.delta.text);
        })(),
        (error: Error) => {
          assert.match(error.name, /InternalServerException|ModelStreamErrorException|ModelErrorException/);
          return true;
        },
      );
      if (mode === 'sync') assert.deepEqual(seen, [], 'sync mode released nothing unchecked');
    }
  });
});
