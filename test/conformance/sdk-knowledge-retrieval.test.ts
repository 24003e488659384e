import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CreateGuardrailCommand } from '@aws-sdk/client-bedrock';
import {
  RerankCommand,
  RetrieveAndGenerateCommand,
  RetrieveAndGenerateStreamCommand,
  RetrieveCommand,
  type RetrieveCommandInput,
  type RetrievalFilter,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { collectGenerationStream, createCustomKnowledgeBase } from '../support/knowledge-fixtures.js';
import { runBoto3 } from '../support/run-boto3.js';
import { agentClient, agentRuntimeClient, bedrockClient, rejectsWith } from '../support/sdk-clients.js';
import pino from 'pino';
import type { OutcropConfig } from '../../src/config/config.js';
import { startOutcrop } from '../../src/server/outcrop.js';
import { type TestServer, startTestServer, testCredentials } from '../support/test-server.js';

/**
 * Retrieve, RetrieveAndGenerate(Stream) and Rerank through the AWS SDK against the real server, with
 * the fake OpenAI upstream's `rag-answer` model generating and a fake Cohere `/v2/rerank` scoring.
 *
 * The knowledge base is made and filled through the real control plane: CreateKnowledgeBase with the
 * built-in embedding model (`amazon.titan-embed-text-v2:0`), a CUSTOM data source, and
 * IngestKnowledgeBaseDocuments with inline text and inline attributes, into the server's own SQLite
 * stores. Each passage is one custom document (short enough to be one chunk), so results are named
 * by their `customDocumentLocation.id`. No test here needs a controlled embedding: the unit tests of
 * `retrieveChunks` (src/core/knowledge/retrieval/) use the in-memory index for that.
 */

let server: TestServer;
let serverConfig: OutcropConfig | undefined;
let kb = '';
let reranker: Server;
const client = () => agentRuntimeClient(server.url);
const location = (id: string) => ({ type: 'CUSTOM', customDocumentLocation: { id } });

const passages = [
  { id: 'granite', text: 'Granite is a coarse grained igneous rock rich in quartz and feldspar. It forms from slowly cooling magma.', metadata: { kind: 'igneous', hardness: 6, era: 'precambrian', tags: ['plutonic', 'building'], verified: true } },
  { id: 'basalt', text: 'Basalt is a fine grained volcanic rock that forms from lava flows. Ocean floors are mostly basalt.', metadata: { kind: 'igneous', hardness: 6, era: 'cenozoic', tags: ['volcanic'], verified: true } },
  { id: 'shale', text: 'Shale is a sedimentary rock formed from compacted mud. It splits into thin layers.', metadata: { kind: 'sedimentary', hardness: 3, era: 'paleozoic', tags: ['clastic'], verified: false } },
  { id: 'limestone', text: 'Limestone is a sedimentary rock made mostly of calcite from marine organisms.', metadata: { kind: 'sedimentary', hardness: 3, era: 'mesozoic', tags: ['chemical', 'building'], verified: true } },
  { id: 'marble', text: 'Marble is a metamorphic rock formed when limestone is heated and pressed. Sculptors prize it.', metadata: { kind: 'metamorphic', hardness: 4, era: 'paleozoic', tags: ['building'], verified: true } },
  { id: 'zx81', text: 'Part number ZX81 identifies the tungsten carbide drill bit for hard rock.', metadata: { kind: 'tool', hardness: 9, era: 'none', tags: ['equipment'], verified: false } },
];

/** A Cohere-compatible `/v2/rerank`: relevance is the share of query words a document holds. */
async function startFakeReranker(): Promise<Server> {
  const fake = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw) as { query: string; documents: string[]; top_n?: number };
      const words = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
      const query = new Set(words(body.query));
      const results = body.documents
        .map((document, index) => ({ index, relevance_score: words(document).filter((word) => query.has(word)).length / Math.max(1, query.size) }))
        .sort((left, right) => right.relevance_score - left.relevance_score)
        .slice(0, body.top_n ?? body.documents.length);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'r', results, meta: {} }));
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  return fake;
}

before(async () => {
  reranker = await startFakeReranker();
  const rerankUrl = `http://127.0.0.1:${(reranker.address() as AddressInfo).port}/v2`;
  server = await startTestServer({
    extraConfig: `  - { id: outcrop.rag, provider: fake, upstreamModel: rag-answer, providerName: Outcrop }
  - { id: cohere.rerank-v3-5:0, kind: rerank, provider: cohere-fake, upstreamModel: rerank-v3.5, providerName: Cohere }`,
    extraProviders: `  cohere-fake:
    type: cohere
    baseUrl: ${rerankUrl}
    apiKey: co-test-key`,
    configure: (config) => {
      serverConfig = config;
    },
  });
  ({ knowledgeBaseId: kb } = await createCustomKnowledgeBase(agentClient(server.url), { name: 'rocks', dataSourceName: 'rock-notes', documents: passages }));
});

after(async () => {
  await server?.close();
  await new Promise((resolve) => reranker?.close(resolve));
});

async function retrieveIds(input: Omit<RetrieveCommandInput, 'knowledgeBaseId'>): Promise<string[]> {
  const { retrievalResults } = await client().send(new RetrieveCommand({ knowledgeBaseId: kb, ...input }));
  return (retrievalResults ?? []).map((result) => String(result.location?.customDocumentLocation?.id));
}

const foundationModel = 'arn:aws:bedrock:us-east-1::foundation-model/outcrop.rag';

describe('Retrieve through the AWS SDK', () => {
  it('returns Bedrock-shaped results: text content, location, metadata and a score; 5 by default', async () => {
    const { retrievalResults } = await client().send(new RetrieveCommand({ knowledgeBaseId: kb, retrievalQuery: { text: 'volcanic rock from lava flows' } }));
    assert.equal(retrievalResults?.length, 5);
    const top = retrievalResults?.[0];
    assert.equal(top?.content?.type, 'TEXT');
    assert.match(top?.content?.text ?? '', /^Basalt is a fine grained volcanic rock/);
    assert.deepEqual(top?.location, location('basalt'));
    assert.equal(top?.metadata?.kind, 'igneous');
    assert.deepEqual(top?.metadata?.tags, ['volcanic']);
    const scores = (retrievalResults ?? []).map((result) => result.score ?? -1);
    assert.ok(scores.every((score) => score >= 0 && score <= 1));
    assert.deepEqual([...scores].sort((left, right) => right - left), scores);
  });

  it('SEMANTIC and HYBRID: the keyword half finds an exact part number', async () => {
    const semantic = await retrieveIds({ retrievalQuery: { text: 'ZX81' }, retrievalConfiguration: { vectorSearchConfiguration: { overrideSearchType: 'SEMANTIC', numberOfResults: 3 } } });
    const hybrid = await retrieveIds({ retrievalQuery: { text: 'ZX81' }, retrievalConfiguration: { vectorSearchConfiguration: { overrideSearchType: 'HYBRID', numberOfResults: 3 } } });
    assert.equal(hybrid[0], 'zx81');
    assert.equal(semantic.length, 3);
  });

  const filterCases: [string, RetrievalFilter, string[]][] = [
    ['equals', { equals: { key: 'kind', value: 'igneous' } }, ['basalt', 'granite']],
    ['notEquals', { notEquals: { key: 'kind', value: 'igneous' } }, ['limestone', 'marble', 'shale', 'zx81']],
    ['greaterThan', { greaterThan: { key: 'hardness', value: 6 } }, ['zx81']],
    ['greaterThanOrEquals', { greaterThanOrEquals: { key: 'hardness', value: 6 } }, ['basalt', 'granite', 'zx81']],
    ['lessThan', { lessThan: { key: 'hardness', value: 4 } }, ['limestone', 'shale']],
    ['lessThanOrEquals', { lessThanOrEquals: { key: 'hardness', value: 4 } }, ['limestone', 'marble', 'shale']],
    ['in', { in: { key: 'era', value: ['paleozoic', 'mesozoic'] } }, ['limestone', 'marble', 'shale']],
    ['notIn', { notIn: { key: 'era', value: ['paleozoic', 'mesozoic', 'none'] } }, ['basalt', 'granite']],
    ['startsWith', { startsWith: { key: 'era', value: 'pa' } }, ['marble', 'shale']],
    ['listContains', { listContains: { key: 'tags', value: 'building' } }, ['granite', 'limestone', 'marble']],
    ['stringContains', { stringContains: { key: 'era', value: 'zoic' } }, ['basalt', 'limestone', 'marble', 'shale']],
    ['andAll', { andAll: [{ equals: { key: 'verified', value: true } }, { equals: { key: 'kind', value: 'sedimentary' } }] }, ['limestone']],
    ['orAll', { orAll: [{ equals: { key: 'kind', value: 'tool' } }, { equals: { key: 'kind', value: 'metamorphic' } }] }, ['marble', 'zx81']],
  ];
  for (const [operator, filter, expected] of filterCases) {
    it(`filters with ${operator}`, async () => {
      const ids = await retrieveIds({ retrievalQuery: { text: 'rock' }, retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 10, filter } } });
      assert.deepEqual(ids.sort(), expected);
    });
  }

  it('reranks with a catalog reranking model and keeps numberOfRerankedResults', async () => {
    const { retrievalResults } = await client().send(
      new RetrieveCommand({
        knowledgeBaseId: kb,
        retrievalQuery: { text: 'sculptors limestone marble' },
        retrievalConfiguration: {
          vectorSearchConfiguration: {
            numberOfResults: 5,
            rerankingConfiguration: {
              type: 'BEDROCK_RERANKING_MODEL',
              bedrockRerankingConfiguration: { modelConfiguration: { modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/cohere.rerank-v3-5:0' }, numberOfRerankedResults: 2 },
            },
          },
        },
      }),
    );
    assert.equal(retrievalResults?.length, 2);
    assert.deepEqual(retrievalResults?.[0]?.location, location('marble'));
    assert.equal(retrievalResults?.[0]?.score, 1);
  });

  it('bad input: unknown knowledge base, malformed filter, numberOfResults out of range, implicit filters', async () => {
    await rejectsWith(client().send(new RetrieveCommand({ knowledgeBaseId: 'KBMISSING1', retrievalQuery: { text: 'rock' } })), 'ResourceNotFoundException', 404, /KBMISSING1/);
    await rejectsWith(
      client().send(new RetrieveCommand({ knowledgeBaseId: kb, retrievalQuery: { text: 'rock' }, retrievalConfiguration: { vectorSearchConfiguration: { filter: { in: { key: 'era', value: 'paleozoic' } } } } })),
      'ValidationException',
      400,
      /filter\.in/,
    );
    await rejectsWith(
      client().send(new RetrieveCommand({ knowledgeBaseId: kb, retrievalQuery: { text: 'rock' }, retrievalConfiguration: { vectorSearchConfiguration: { filter: { andAll: [{ equals: { key: 'kind', value: 'x' } }] } } } })),
      'ValidationException',
      400,
    );
    for (const numberOfResults of [0, 101]) {
      await rejectsWith(client().send(new RetrieveCommand({ knowledgeBaseId: kb, retrievalQuery: { text: 'rock' }, retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults } } })), 'ValidationException', 400, /numberOfResults/);
    }
    await rejectsWith(
      client().send(
        new RetrieveCommand({
          knowledgeBaseId: kb,
          retrievalQuery: { text: 'rock' },
          retrievalConfiguration: { vectorSearchConfiguration: { implicitFilterConfiguration: { modelArn: foundationModel, metadataAttributes: [{ key: 'kind', type: 'STRING', description: 'rock kind' }] } } },
        }),
      ),
      'ValidationException',
      400,
      /implicitFilterConfiguration/,
    );
    const still = await retrieveIds({ retrievalQuery: { text: 'granite' }, retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 1 } } });
    assert.deepEqual(still, ['granite']);
  });
});

describe('RetrieveAndGenerate through the AWS SDK', () => {
  let sessionId = '';

  it('answers from the retrieved chunks with citations whose spans index the answer', async () => {
    const response = await client().send(
      new RetrieveAndGenerateCommand({
        input: { text: 'Which rock forms from lava flows?' },
        retrieveAndGenerateConfiguration: {
          type: 'KNOWLEDGE_BASE',
          knowledgeBaseConfiguration: { knowledgeBaseId: kb, modelArn: foundationModel, generationConfiguration: { inferenceConfig: { textInferenceConfig: { maxTokens: 400, temperature: 0 } } } },
        },
      }),
    );
    assert.equal(response.output?.text, 'Basalt is a fine grained volcanic rock that forms from lava flows.');
    assert.match(response.sessionId ?? '', /^[0-9a-zA-Z._:-]{2,100}$/);
    sessionId = response.sessionId ?? '';
    const citation = response.citations?.[0];
    const span = citation?.generatedResponsePart?.textResponsePart?.span;
    assert.equal(response.output?.text?.slice(span?.start, (span?.end ?? 0) + 1), citation?.generatedResponsePart?.textResponsePart?.text);
    assert.equal(span?.end, (response.output?.text?.length ?? 0) - 1);
    assert.deepEqual(citation?.retrievedReferences?.[0]?.location, location('basalt'));
    assert.equal(citation?.retrievedReferences?.[0]?.metadata?.kind, 'igneous');
    const generation = server.upstream.requests.filter((request) => request.body.model === 'rag-answer').at(-1);
    assert.equal(generation?.body.max_completion_tokens ?? generation?.body.max_tokens, 400);
    assert.match(JSON.stringify(generation?.body.messages), /<search_results>/);
  });

  it('continues a session: the follow-up is rewritten with the history and answered with it', async () => {
    const before = server.upstream.requests.length;
    const response = await client().send(
      new RetrieveAndGenerateCommand({
        sessionId,
        input: { text: 'What about sculptors?' },
        retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId: kb, modelArn: 'outcrop.rag' } },
      }),
    );
    assert.equal(response.sessionId, sessionId);
    const calls = server.upstream.requests.slice(before);
    assert.equal(calls.length, 2, 'one rewrite call and one generation call');
    assert.match(JSON.stringify(calls[0]?.body.messages), /query creation agent[\s\S]*Which rock forms from lava flows\?/);
    assert.match(JSON.stringify(calls[1]?.body.messages), /Basalt is a fine grained volcanic rock/);
    await rejectsWith(
      client().send(
        new RetrieveAndGenerateCommand({ sessionId: 'no-such-session', input: { text: 'hi' }, retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId: kb, modelArn: 'outcrop.rag' } } }),
      ),
      'ValidationException',
      400,
      /no-such-session/,
    );
  });

  it('attributes citations itself when the model gives no markers', async () => {
    const response = await client().send(
      new RetrieveAndGenerateCommand({
        input: { text: 'Tell me about granite' },
        retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId: kb, modelArn: 'outcrop.text' } },
      }),
    );
    assert.equal(response.output?.text, 'Granite is an igneous rock.');
    const references = response.citations?.[0]?.retrievedReferences ?? [];
    assert.ok(references.length >= 1);
    assert.ok(references.every((reference) => reference.content?.text?.includes('igneous')));
  });

  it('streams output, citation events and the session header', async () => {
    const response = await client().send(
      new RetrieveAndGenerateStreamCommand({
        input: { text: 'Which rock is made of calcite?' },
        retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId: kb, modelArn: foundationModel } },
      }),
    );
    assert.match(response.sessionId ?? '', /^[0-9a-f-]{36}$/);
    const { text, pieces, citations } = await collectGenerationStream(response.stream);
    assert.equal(text, 'Limestone is a sedimentary rock made mostly of calcite from marine organisms.');
    assert.ok(pieces > 1, 'the answer arrives in pieces');
    assert.equal(citations.length, 1);
    const span = citations[0]?.generatedResponsePart?.textResponsePart?.span;
    assert.deepEqual(span, { start: 0, end: text.length - 1 });
    assert.match(citations[0]?.retrievedReferences?.[0]?.content?.text ?? '', /calcite/);
  });

  it('answers from an inline external document and refuses S3 sources without an endpoint', async () => {
    const document = 'Obsidian is volcanic glass. It forms when lava cools too fast for crystals to grow.\n\nPumice floats on water.';
    const response = await client().send(
      new RetrieveAndGenerateCommand({
        input: { text: 'What is obsidian?' },
        retrieveAndGenerateConfiguration: {
          type: 'EXTERNAL_SOURCES',
          externalSourcesConfiguration: {
            modelArn: foundationModel,
            sources: [{ sourceType: 'BYTE_CONTENT', byteContent: { identifier: 'glass.txt', contentType: 'text/plain', data: new TextEncoder().encode(document) } }],
          },
        },
      }),
    );
    assert.equal(response.output?.text, 'Obsidian is volcanic glass.');
    assert.deepEqual(response.citations?.[0]?.retrievedReferences?.[0]?.location, { type: 'CUSTOM', customDocumentLocation: { id: 'glass.txt' } });
    await rejectsWith(
      client().send(
        new RetrieveAndGenerateCommand({
          input: { text: 'What is obsidian?' },
          retrieveAndGenerateConfiguration: { type: 'EXTERNAL_SOURCES', externalSourcesConfiguration: { modelArn: foundationModel, sources: [{ sourceType: 'S3', s3Location: { uri: 's3://bucket/glass.txt' } }] } },
        }),
      ),
      'ValidationException',
      400,
      /S3/,
    );
  });

  it('bad input: unknown knowledge base, unknown model, missing configuration', async () => {
    const configuration = (knowledgeBaseId: string, modelArn: string) => ({ type: 'KNOWLEDGE_BASE' as const, knowledgeBaseConfiguration: { knowledgeBaseId, modelArn } });
    await rejectsWith(client().send(new RetrieveAndGenerateCommand({ input: { text: 'rock' }, retrieveAndGenerateConfiguration: configuration('KBMISSING1', foundationModel) })), 'ResourceNotFoundException', 404);
    await rejectsWith(client().send(new RetrieveAndGenerateCommand({ input: { text: 'rock' }, retrieveAndGenerateConfiguration: configuration(kb, 'no.such-model') })), 'ValidationException', 400);
    await rejectsWith(client().send(new RetrieveAndGenerateCommand({ input: { text: 'rock' } })), 'ValidationException', 400, /retrieveAndGenerateConfiguration/);
  });
});

describe('Rerank through the AWS SDK', () => {
  it('orders inline TEXT and JSON sources and returns the best numberOfResults', async () => {
    const response = await client().send(
      new RerankCommand({
        queries: [{ type: 'TEXT', textQuery: { text: 'volcanic glass' } }],
        sources: [
          { type: 'INLINE', inlineDocumentSource: { type: 'TEXT', textDocument: { text: 'Shale is sedimentary.' } } },
          { type: 'INLINE', inlineDocumentSource: { type: 'JSON', jsonDocument: { name: 'obsidian', note: 'volcanic glass' } } },
          { type: 'INLINE', inlineDocumentSource: { type: 'TEXT', textDocument: { text: 'Basalt is volcanic.' } } },
        ],
        rerankingConfiguration: { type: 'BEDROCK_RERANKING_MODEL', bedrockRerankingConfiguration: { numberOfResults: 2, modelConfiguration: { modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/cohere.rerank-v3-5:0' } } },
      }),
    );
    assert.deepEqual(
      response.results?.map((result) => [result.index, result.relevanceScore]),
      [
        [1, 1],
        [2, 0.5],
      ],
    );
    assert.deepEqual(response.results?.[0]?.document, { type: 'JSON', jsonDocument: { name: 'obsidian', note: 'volcanic glass' } });
    await rejectsWith(
      client().send(
        new RerankCommand({
          queries: [{ type: 'TEXT', textQuery: { text: 'x' } }],
          sources: [{ type: 'INLINE', inlineDocumentSource: { type: 'TEXT', textDocument: { text: 'a' } } }],
          rerankingConfiguration: { type: 'BEDROCK_RERANKING_MODEL', bedrockRerankingConfiguration: { modelConfiguration: { modelArn: foundationModel } } },
        }),
      ),
      'ValidationException',
      400,
      /not a reranking model/,
    );
  });
});

describe('Retrieve and RetrieveAndGenerate through boto3', () => {
  it('retrieves with a filter, answers with citations, and reports a bad filter', async () => {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'python', 'knowledge_retrieval_scenarios.py');
    const { code, stdout, stderr } = await runBoto3([script, server.url, kb, foundationModel], 60_000);
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout) as {
      retrieve: { document: string; score: number; type: string; location: unknown }[];
      answer: { sessionId: string; text: string; citations: { span: { start: number; end: number }; text: string; documents: string[] }[] };
      badFilter: { code: string; status: number; message: string } | null;
    };
    assert.deepEqual(
      result.retrieve.map((entry) => entry.document),
      ['basalt', 'granite'],
    );
    assert.equal(result.retrieve[0]?.type, 'TEXT');
    assert.deepEqual(result.retrieve[0]?.location, location('basalt'));
    assert.equal(result.answer.text, 'Basalt is a fine grained volcanic rock that forms from lava flows.');
    const citation = result.answer.citations[0];
    assert.equal(result.answer.text.slice(citation?.span.start, (citation?.span.end ?? 0) + 1), citation?.text);
    assert.deepEqual(citation?.documents, ['basalt']);
    assert.equal(result.badFilter?.code, 'ValidationException');
    assert.equal(result.badFilter?.status, 400);
  });
});

describe('RetrieveAndGenerate with a guardrail', () => {
  it('answers a blocked question with the guardrail message, passes a clean one, and refuses an unknown guardrail', async () => {
    const bedrock = bedrockClient(server.url);
    const created = await bedrock.send(
      new CreateGuardrailCommand({
        name: 'rag-words',
        wordPolicyConfig: { wordsConfig: [{ text: 'project nightingale' }] },
        blockedInputMessaging: 'Sorry, I cannot answer that.',
        blockedOutputsMessaging: 'Sorry, I cannot share that answer.',
      }),
    );
    const configuration = (guardrailId: string) => ({
      type: 'KNOWLEDGE_BASE' as const,
      knowledgeBaseConfiguration: { knowledgeBaseId: kb, modelArn: foundationModel, generationConfiguration: { guardrailConfiguration: { guardrailId, guardrailVersion: 'DRAFT' } } },
    });
    const blocked = await client().send(new RetrieveAndGenerateCommand({ input: { text: 'Tell me about project nightingale' }, retrieveAndGenerateConfiguration: configuration(created.guardrailId ?? '') }));
    assert.equal(blocked.output?.text, 'Sorry, I cannot answer that.');
    assert.equal(blocked.guardrailAction, 'INTERVENED');
    assert.deepEqual(blocked.citations ?? [], []);
    const clean = await client().send(new RetrieveAndGenerateCommand({ input: { text: 'Which rock forms from lava flows?' }, retrieveAndGenerateConfiguration: configuration(created.guardrailId ?? '') }));
    assert.equal(clean.output?.text, 'Basalt is a fine grained volcanic rock that forms from lava flows.');
    assert.equal(clean.guardrailAction, 'NONE');
    await rejectsWith(client().send(new RetrieveAndGenerateCommand({ input: { text: 'rock' }, retrieveAndGenerateConfiguration: configuration('nosuchguard1') })), 'ValidationException', 400, /guardrail/);
  });
});

describe('RetrieveAndGenerate sessions across a restart', () => {
  it('continues a session after the server restarts on the same data directory', async () => {
    const configuration = { type: 'KNOWLEDGE_BASE' as const, knowledgeBaseConfiguration: { knowledgeBaseId: kb, modelArn: foundationModel } };
    const first = await client().send(new RetrieveAndGenerateCommand({ input: { text: 'Which rock forms from lava flows?' }, retrieveAndGenerateConfiguration: configuration }));
    const sessionId = first.sessionId ?? '';
    assert.ok(sessionId);
    const previous = server;
    await previous.server.close();
    assert.ok(serverConfig, 'the test server handed over its configuration');
    const restarted = await startOutcrop({
      config: serverConfig,
      logger: pino({ level: 'silent' }),
      env: { OUTCROP_ROOT_ACCESS_KEY_ID: testCredentials.accessKeyId, OUTCROP_ROOT_SECRET_ACCESS_KEY: testCredentials.secretAccessKey, OUTCROP_ROOT_API_KEY: testCredentials.apiKey },
    });
    server = {
      ...previous,
      url: restarted.url,
      server: restarted,
      async close() {
        await restarted.close();
        await previous.close();
      },
    };
    const before = server.upstream.requests.length;
    const followUp = await client().send(new RetrieveAndGenerateCommand({ sessionId, input: { text: 'What about sculptors?' }, retrieveAndGenerateConfiguration: configuration }));
    assert.equal(followUp.sessionId, sessionId);
    const calls = server.upstream.requests.slice(before);
    assert.equal(calls.length, 2, 'the follow-up is rewritten with the history kept before the restart, then answered');
    assert.match(JSON.stringify(calls[0]?.body.messages), /query creation agent[\s\S]*Which rock forms from lava flows\?/);
    await rejectsWith(
      client().send(new RetrieveAndGenerateCommand({ sessionId: 'a1b2c3d4-0000-4000-8000-000000000000', input: { text: 'hi' }, retrieveAndGenerateConfiguration: configuration })),
      'ValidationException',
      400,
      /Session with Id a1b2c3d4-0000-4000-8000-000000000000 is not valid/,
    );
  });
});
