import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CreateDataSourceCommand, DeleteDataSourceCommand, DeleteKnowledgeBaseCommand } from '@aws-sdk/client-bedrock-agent';
import {
  type KnowledgeBaseRetrievalResult,
  RetrieveAndGenerateCommand,
  RetrieveAndGenerateStreamCommand,
  RetrieveCommand,
  type RetrieveCommandInput,
  type RetrievalFilter,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { makeDocx, makePdf } from '../support/document-fixtures.js';
import { type FakeWebsite, startFakeWebsite } from '../support/fake-website.js';
import { collectGenerationStream, createFolderKnowledgeBase, ingestionStatistics, syncDataSource } from '../support/knowledge-fixtures.js';
import { runBoto3 } from '../support/run-boto3.js';
import { agentClient, agentRuntimeClient, rejectsWith } from '../support/sdk-clients.js';
import { type TestServer, startTestServer } from '../support/test-server.js';

/**
 * Issue #5 end to end: the AWS SDK (and boto3) create a knowledge base over a folder of real documents
 * (PDF, DOCX, HTML, Markdown, CSV with metadata sidecars), ingest it with the built-in embedding model
 * (`amazon.titan-embed-text-v2:0` resolves to `outcrop.use-lite-v1`) into the default SQLite stores,
 * retrieve with and without filters, answer with citations through the fake upstream's `rag-answer`
 * model, and re-sync after documents change. Nothing is injected: control plane, ingestion job,
 * stores and retrieval are the server's own.
 */

let server: TestServer;
let website: FakeWebsite;
let folder: string;
let deepFolder: string;
const agent = () => agentClient(server.url);
const runtime = () => agentRuntimeClient(server.url);
const modelArn = 'arn:aws:bedrock:us-east-1::foundation-model/outcrop.rag';

/** The company folder: each answer lies in exactly one file; sidecars give each file filterable attributes. */
const documents: Record<string, string | Uint8Array> = {
  'rainfall-report.pdf': makePdf(
    [
      ['Kestrel Ridge weather station annual report', 'The annual rainfall at Kestrel Ridge was 840 millimetres in 2023.'],
      ['Most of the rain fell between October and February.'],
    ],
    { title: 'Rainfall report' },
  ),
  'rainfall-report.pdf.metadata.json': JSON.stringify({ metadataAttributes: { department: 'climate', year: 2023, tags: ['weather', 'annual'], public: true } }),
  'leave-policy.docx': makeDocx([{ heading: 1, text: 'Leave policy' }, 'Every employee receives twenty five days of paid holiday leave each year.', 'Unused leave days expire at the end of March.']),
  'leave-policy.docx.metadata.json': JSON.stringify({ metadataAttributes: { department: 'hr', year: 2024, tags: ['policy', 'leave'], public: false } }),
  'cafeteria.html': '<html><head><title>Cafeteria</title></head><body><h1>Cafeteria menu</h1><p>The cafeteria serves vegetarian lasagne every Thursday.</p><p>Coffee is free before nine.</p></body></html>',
  'cafeteria.html.metadata.json': JSON.stringify({ metadataAttributes: { department: 'facilities', year: 2022, tags: ['food'], public: true } }),
  'router-setup.md': '# Router setup\n\nTo reset the office router, hold the power button down for ten seconds.\n\nThe router admin page is at the gateway address.',
  'router-setup.md.metadata.json': JSON.stringify({
    metadataAttributes: { department: { value: { type: 'STRING', stringValue: 'it' }, includeForEmbedding: false }, year: 2024, tags: ['howto', 'network'], public: true },
  }),
  'lab-inventory.csv': 'instrument,quantity,room\nTelescope,3,Dome\nMicroscope,12,Lab two\nCentrifuge,2,Lab one\n',
  'lab-inventory.csv.metadata.json': JSON.stringify({ metadataAttributes: { department: 'science', year: 2021, tags: ['inventory', 'annual'], public: false } }),
  'minutes.txt': 'Board minutes: the board approved the new car park.',
  'minutes.txt.metadata.json': JSON.stringify({ metadataAttributes: { 'x-amz-bedrock-kb-source-uri': 's3://elsewhere/forged.txt' } }),
  'corrupt.pdf': makePdf([['This file was cut short in transfer.']]).slice(0, 160),
};

/** A long handbook for hierarchical chunking: small children, parents several paragraphs long. */
const caveHandbook = [
  '# Cave survey handbook',
  '',
  'Surveyors work in teams of three: one reads the compass, one holds the tape, and one sketches the passage.',
  'Every station is marked with a small reflective tag so that later teams can find it again.',
  'The sketcher draws the walls, floor detail and any formations between stations.',
  'Readings are taken forwards and backwards so that errors in the compass can be noticed.',
  '',
  'The emergency whistle code is three long blasts, repeated every minute until help arrives.',
  'Teams check in with the surface crew every two hours by field telephone.',
  'If a team misses two check-ins in a row, the surface crew starts the call-out procedure.',
  '',
  'Batteries for headlamps are replaced before every trip, whatever their charge.',
  'Spare lamps travel in a sealed bag at the bottom of the pack.',
  'Food and water for twice the planned trip length are carried by each team.',
  'Wet suits are needed in the lower streamway even in summer.',
].join('\n');

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'outcrop-kb-flow-'));
  deepFolder = await mkdtemp(join(tmpdir(), 'outcrop-kb-flow-deep-'));
  for (const [name, content] of Object.entries(documents)) await writeFile(join(folder, name), content);
  await writeFile(join(deepFolder, 'cave-handbook.md'), caveHandbook);
  website = await startFakeWebsite({ '/': '<html><body><p>Intranet home</p></body></html>' });
  server = await startTestServer({
    extraConfig: '  - { id: outcrop.rag, provider: fake, upstreamModel: rag-answer, providerName: Outcrop }\n',
    configure: (config) => {
      config.knowledge.localBuckets = { 'company-docs': folder, 'cave-docs': deepFolder };
    },
  });
});

after(async () => {
  await server?.close();
  await website?.close();
  await rm(folder, { recursive: true, force: true });
  await rm(deepFolder, { recursive: true, force: true });
});

const sync = (knowledgeBaseId: string, dataSourceId: string) => syncDataSource(agent(), knowledgeBaseId, dataSourceId);

const uriOf = (result: KnowledgeBaseRetrievalResult | undefined) => result?.location?.s3Location?.uri;
const docUri = (name: string) => `s3://company-docs/${name}`;

describe('a knowledge base over a folder of real documents, end to end through the AWS SDK', () => {
  let knowledgeBaseId: string;
  let dataSourceId: string;

  async function retrieve(input: Omit<RetrieveCommandInput, 'knowledgeBaseId'>): Promise<KnowledgeBaseRetrievalResult[]> {
    const { retrievalResults } = await runtime().send(new RetrieveCommand({ knowledgeBaseId, ...input }));
    return retrievalResults ?? [];
  }

  it('creates the knowledge base and an S3 data source on a local bucket, and ingests it', async () => {
    const created = await createFolderKnowledgeBase(agent(), {
      name: 'company-kb',
      bucket: 'company-docs',
      dataSourceName: 'company-folder',
      chunkingConfiguration: { chunkingStrategy: 'FIXED_SIZE', fixedSizeChunkingConfiguration: { maxTokens: 300, overlapPercentage: 10 } },
    });
    ({ knowledgeBaseId, dataSourceId } = created);
    assert.equal(created.knowledgeBase.status, 'ACTIVE');
    const done = await sync(knowledgeBaseId, dataSourceId);
    assert.equal(done.status, 'COMPLETE', 'a corrupt document does not fail the job');
    assert.deepEqual(done.statistics, ingestionStatistics({ numberOfDocumentsScanned: 7, numberOfMetadataDocumentsScanned: 6, numberOfNewDocumentsIndexed: 5, numberOfDocumentsFailed: 2 }));
    const reasons = [...(done.failureReasons ?? [])].sort();
    assert.equal(reasons.length, 2);
    assert.match(reasons[0] ?? '', /^s3:\/\/company-docs\/corrupt\.pdf: corrupt\.pdf is not a valid PDF/);
    assert.match(reasons[1] ?? '', /^s3:\/\/company-docs\/minutes\.txt: minutes\.txt\.metadata\.json is invalid: .*x-amz-bedrock-kb-.* reserved/);
  });

  const questions: [string, string, RegExp][] = [
    ['How much rain fell at Kestrel Ridge in 2023?', 'rainfall-report.pdf', /840 millimetres/],
    ['How many days of paid holiday leave does an employee get?', 'leave-policy.docx', /twenty five days/],
    ['What food does the cafeteria serve on Thursday?', 'cafeteria.html', /vegetarian lasagne/],
    ['How do I reset the office router?', 'router-setup.md', /ten seconds/],
    ['How many microscopes are in the lab?', 'lab-inventory.csv', /Microscope/],
  ];
  for (const searchType of ['SEMANTIC', 'HYBRID'] as const) {
    it(`${searchType}: each question finds the one document that answers it`, async () => {
      for (const [question, file, answer] of questions) {
        const results = await retrieve({ retrievalQuery: { text: question }, retrievalConfiguration: { vectorSearchConfiguration: { overrideSearchType: searchType, numberOfResults: 3 } } });
        assert.equal(uriOf(results[0]), docUri(file), `${searchType} "${question}" → ${results.map(uriOf).join(', ')}`);
        assert.match(results[0]?.content?.text ?? '', answer);
        assert.equal(results[0]?.content?.type, 'TEXT');
        assert.deepEqual(results[0]?.location, { type: 'S3', s3Location: { uri: docUri(file) } });
        assert.equal(results[0]?.metadata?.['x-amz-bedrock-kb-source-uri'], docUri(file));
        assert.equal(results[0]?.metadata?.['x-amz-bedrock-kb-data-source-id'], dataSourceId);
        const scores = results.map((result) => result.score ?? -1);
        assert.ok(scores.every((score) => score > 0 && score <= 1), `scores in (0, 1]: ${scores}`);
        assert.deepEqual([...scores].sort((left, right) => right - left), scores);
      }
    });
  }

  it('returns the sidecar attributes and the PDF page number with each chunk', async () => {
    const [top] = await retrieve({ retrievalQuery: { text: 'annual rainfall at Kestrel Ridge' }, retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 1 } } });
    assert.equal(uriOf(top), docUri('rainfall-report.pdf'));
    assert.equal(top?.metadata?.department, 'climate');
    assert.equal(top?.metadata?.year, 2023);
    assert.deepEqual(top?.metadata?.tags, ['weather', 'annual']);
    assert.equal(top?.metadata?.public, true);
    assert.equal(top?.metadata?.['x-amz-bedrock-kb-document-page-number'], 1);
  });

  const filterCases: [string, RetrievalFilter, string[]][] = [
    ['equals on a sidecar attribute', { equals: { key: 'department', value: 'hr' } }, ['leave-policy.docx']],
    ['equals on a typed sidecar attribute', { equals: { key: 'department', value: 'it' } }, ['router-setup.md']],
    ['notEquals', { notEquals: { key: 'public', value: true } }, ['lab-inventory.csv', 'leave-policy.docx']],
    [
      'andAll',
      { andAll: [{ equals: { key: 'public', value: true } }, { greaterThanOrEquals: { key: 'year', value: 2023 } }] },
      ['rainfall-report.pdf', 'router-setup.md'],
    ],
    ['orAll', { orAll: [{ equals: { key: 'department', value: 'science' } }, { equals: { key: 'department', value: 'facilities' } }] }, ['cafeteria.html', 'lab-inventory.csv']],
    ['numeric range', { andAll: [{ greaterThan: { key: 'year', value: 2021 } }, { lessThan: { key: 'year', value: 2024 } }] }, ['cafeteria.html', 'rainfall-report.pdf']],
    ['listContains', { listContains: { key: 'tags', value: 'annual' } }, ['lab-inventory.csv', 'rainfall-report.pdf']],
    ['in', { in: { key: 'department', value: ['it', 'hr'] } }, ['leave-policy.docx', 'router-setup.md']],
    ['startsWith', { startsWith: { key: 'department', value: 'f' } }, ['cafeteria.html']],
    ['notEquals on a key no document has', { notEquals: { key: 'nosuchkey', value: 'x' } }, ['cafeteria.html', 'lab-inventory.csv', 'leave-policy.docx', 'rainfall-report.pdf', 'router-setup.md']],
    ['notIn', { notIn: { key: 'department', value: ['hr', 'it', 'science'] } }, ['cafeteria.html', 'rainfall-report.pdf']],
    ['equals on a boolean', { equals: { key: 'public', value: false } }, ['lab-inventory.csv', 'leave-policy.docx']],
    ['equals on a number', { equals: { key: 'year', value: 2023 } }, ['rainfall-report.pdf']],
    ['lessThanOrEquals', { lessThanOrEquals: { key: 'year', value: 2022 } }, ['cafeteria.html', 'lab-inventory.csv']],
    ['stringContains on a string', { stringContains: { key: 'department', value: 'acil' } }, ['cafeteria.html']],
    ['stringContains on a list', { stringContains: { key: 'tags', value: 'nnu' } }, ['lab-inventory.csv', 'rainfall-report.pdf']],
    ['orAll inside andAll', { andAll: [{ orAll: [{ equals: { key: 'department', value: 'hr' } }, { equals: { key: 'department', value: 'it' } }] }, { listContains: { key: 'tags', value: 'network' } }] }, ['router-setup.md']],
    ['the source URI Bedrock adds', { equals: { key: 'x-amz-bedrock-kb-source-uri', value: docUri('cafeteria.html') } }, ['cafeteria.html']],
  ];
  for (const [name, filter, expected] of filterCases) {
    it(`filters: ${name}`, async () => {
      for (const searchType of ['SEMANTIC', 'HYBRID'] as const) {
        const results = await retrieve({ retrievalQuery: { text: 'annual report policy menu' }, retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 20, overrideSearchType: searchType, filter } } });
        assert.deepEqual([...new Set(results.map(uriOf))].sort(), expected.map(docUri), `${searchType} ${JSON.stringify(filter)}`);
      }
    });
  }

  it('filters on the data-source id Bedrock adds to every chunk', async () => {
    const results = await retrieve({ retrievalQuery: { text: 'annual report' }, retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 20, filter: { equals: { key: 'x-amz-bedrock-kb-data-source-id', value: dataSourceId } } } } });
    assert.equal(new Set(results.map(uriOf)).size, 5);
    assert.deepEqual(await retrieve({ retrievalQuery: { text: 'annual report' }, retrievalConfiguration: { vectorSearchConfiguration: { filter: { equals: { key: 'x-amz-bedrock-kb-data-source-id', value: 'NOSUCHDS00' } } } } }), []);
  });

  it('a filter that matches nothing returns no results; one on an absent key matches nothing', async () => {
    assert.deepEqual(await retrieve({ retrievalQuery: { text: 'rain' }, retrievalConfiguration: { vectorSearchConfiguration: { filter: { equals: { key: 'department', value: 'legal' } } } } }), []);
    assert.deepEqual(await retrieve({ retrievalQuery: { text: 'rain' }, retrievalConfiguration: { vectorSearchConfiguration: { filter: { equals: { key: 'nosuchkey', value: 'x' } } } } }), []);
  });

  let sessionId = '';

  it('RetrieveAndGenerate answers from the right document with citations that index the output', async () => {
    const before = server.upstream.requests.length;
    const response = await runtime().send(
      new RetrieveAndGenerateCommand({
        input: { text: 'How many days of paid holiday leave does an employee get?' },
        retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId, modelArn } },
      }),
    );
    const text = response.output?.text ?? '';
    assert.match(text, /twenty five days of paid holiday leave/);
    sessionId = response.sessionId ?? '';
    assert.ok(sessionId);
    assert.ok((response.citations?.length ?? 0) >= 1);
    for (const citation of response.citations ?? []) {
      const part = citation.generatedResponsePart?.textResponsePart;
      assert.equal(text.slice(part?.span?.start, (part?.span?.end ?? 0) + 1), part?.text, 'the span indexes output.text, end inclusive');
      const reference = citation.retrievedReferences?.[0];
      assert.deepEqual(reference?.location, { type: 'S3', s3Location: { uri: docUri('leave-policy.docx') } });
      assert.equal(reference?.metadata?.['x-amz-bedrock-kb-source-uri'], docUri('leave-policy.docx'));
      assert.equal(reference?.metadata?.department, 'hr');
      assert.ok(reference?.content?.text?.includes(part?.text?.trim() ?? '\u0000'), 'the cited chunk holds the cited sentence');
    }
    const generation = server.upstream.requests.slice(before).find((request) => request.body.model === 'rag-answer');
    assert.match(JSON.stringify(generation?.body.messages), /twenty five days/, 'the prompt carried the retrieved chunk');
  });

  it('a follow-up in the same session is answered with the history', async () => {
    const before = server.upstream.requests.length;
    const response = await runtime().send(
      new RetrieveAndGenerateCommand({
        sessionId,
        input: { text: 'And when do unused days expire?' },
        retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId, modelArn } },
      }),
    );
    assert.equal(response.sessionId, sessionId);
    const calls = server.upstream.requests.slice(before);
    assert.equal(calls.length, 2, 'a query rewrite, then the answer');
    assert.match(JSON.stringify(calls[0]?.body.messages), /How many days of paid holiday leave/);
    assert.match(JSON.stringify(calls[1]?.body.messages), /twenty five days/, 'the earlier turn is sent as history');
    assert.equal(response.citations?.[0]?.retrievedReferences?.[0]?.location?.s3Location?.uri, docUri('leave-policy.docx'));
  });

  it('RetrieveAndGenerateStream streams the answer and its citations', async () => {
    const response = await runtime().send(
      new RetrieveAndGenerateStreamCommand({
        input: { text: 'What food does the cafeteria serve on Thursday?' },
        retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId, modelArn } },
      }),
    );
    assert.ok(response.sessionId);
    const { text, pieces, citations } = await collectGenerationStream(response.stream);
    assert.match(text, /vegetarian lasagne every Thursday/);
    assert.ok(pieces > 1, 'the answer arrives in pieces');
    assert.ok(citations.length >= 1);
    const part = citations[0]?.generatedResponsePart?.textResponsePart;
    assert.equal(text.slice(part?.span?.start, (part?.span?.end ?? 0) + 1), part?.text);
    assert.deepEqual(citations[0]?.retrievedReferences?.[0]?.location, { type: 'S3', s3Location: { uri: docUri('cafeteria.html') } });
  });

  it('answers RetrieveAndGenerate with a filter from only the matching documents', async () => {
    const response = await runtime().send(
      new RetrieveAndGenerateCommand({
        input: { text: 'How many days of paid holiday leave does an employee get?' },
        retrieveAndGenerateConfiguration: {
          type: 'KNOWLEDGE_BASE',
          knowledgeBaseConfiguration: { knowledgeBaseId, modelArn, retrievalConfiguration: { vectorSearchConfiguration: { filter: { equals: { key: 'department', value: 'it' } } } } },
        },
      }),
    );
    const uris = (response.citations ?? []).flatMap((citation) => (citation.retrievedReferences ?? []).map((reference) => reference.location?.s3Location?.uri));
    assert.ok(uris.length >= 1);
    assert.ok(uris.every((uri) => uri === docUri('router-setup.md')), uris.join(', '));
  });

  it('after a document changes and another is deleted, a re-sync returns the new text and never the deleted one', async () => {
    await writeFile(join(folder, 'router-setup.md'), '# Router setup\n\nTo reset the office router, press the recessed reset pin with a paperclip for thirty seconds.\n');
    await unlink(join(folder, 'cafeteria.html'));
    await unlink(join(folder, 'cafeteria.html.metadata.json'));
    await unlink(join(folder, 'corrupt.pdf'));
    const done = await sync(knowledgeBaseId, dataSourceId);
    assert.equal(done.status, 'COMPLETE');
    // scanned: the five files left and their five sidecars (three unchanged, never re-read); failed again:
    // minutes.txt and its bad sidecar; deleted: cafeteria.html (corrupt.pdf, never indexed, is dropped
    // without counting)
    assert.deepEqual(done.statistics, ingestionStatistics({ numberOfDocumentsScanned: 5, numberOfMetadataDocumentsScanned: 5, numberOfModifiedDocumentsIndexed: 1, numberOfDocumentsDeleted: 1, numberOfDocumentsFailed: 1 }));
    for (const searchType of ['SEMANTIC', 'HYBRID'] as const) {
      const router = await retrieve({ retrievalQuery: { text: 'How do I reset the office router?' }, retrievalConfiguration: { vectorSearchConfiguration: { overrideSearchType: searchType, numberOfResults: 10 } } });
      assert.equal(uriOf(router[0]), docUri('router-setup.md'));
      assert.match(router[0]?.content?.text ?? '', /paperclip for thirty seconds/);
      assert.ok(router.every((result) => !/ten seconds/.test(result.content?.text ?? '')), 'the old text is gone');
      const lunch = await retrieve({ retrievalQuery: { text: 'vegetarian lasagne cafeteria Thursday' }, retrievalConfiguration: { vectorSearchConfiguration: { overrideSearchType: searchType, numberOfResults: 100 } } });
      assert.ok(lunch.length > 0);
      assert.ok(lunch.every((result) => uriOf(result) !== docUri('cafeteria.html')), 'the deleted document is gone');
    }
  });

  it('bad input: an unknown knowledge base, invalid filters, a private seed URL', async () => {
    await rejectsWith(runtime().send(new RetrieveCommand({ knowledgeBaseId: 'NOSUCHKB00', retrievalQuery: { text: 'rain' } })), 'ResourceNotFoundException', 404, /NOSUCHKB00/);
    await rejectsWith(
      runtime().send(
        new RetrieveAndGenerateCommand({ input: { text: 'rain' }, retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId: 'NOSUCHKB00', modelArn } } }),
      ),
      'ResourceNotFoundException',
      404,
      /NOSUCHKB00/,
    );
    await rejectsWith(
      runtime().send(
        new RetrieveAndGenerateStreamCommand({ input: { text: 'rain' }, retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId: 'NOSUCHKB00', modelArn } } }),
      ),
      'ResourceNotFoundException',
      404,
      /NOSUCHKB00/,
    );
    await rejectsWith(
      runtime().send(
        new RetrieveAndGenerateCommand({
          input: { text: 'rain' },
          retrieveAndGenerateConfiguration: {
            type: 'KNOWLEDGE_BASE',
            knowledgeBaseConfiguration: { knowledgeBaseId, modelArn, retrievalConfiguration: { vectorSearchConfiguration: { filter: { listContains: { key: 'tags', value: ['annual'] } } as RetrievalFilter } } },
          },
        }),
      ),
      'ValidationException',
      400,
      /listContains/,
    );
    const invalidFilters: [RetrievalFilter, RegExp][] = [
      [{ in: { key: 'department', value: 'hr' } } as RetrievalFilter, /filter\.in/],
      [{ greaterThan: { key: 'year', value: 'recent' } }, /filter\.greaterThan/],
      [{ andAll: [{ equals: { key: 'department', value: 'hr' } }] }, /andAll/],
      [{ equals: { key: 'department', value: 'hr' }, notEquals: { key: 'department', value: 'it' } } as unknown as RetrievalFilter, /filter/],
    ];
    for (const [filter, message] of invalidFilters) {
      await rejectsWith(retrieve({ retrievalQuery: { text: 'rain' }, retrievalConfiguration: { vectorSearchConfiguration: { filter } } }), 'ValidationException', 400, message);
    }
    await rejectsWith(
      agent().send(
        new CreateDataSourceCommand({
          knowledgeBaseId,
          name: 'intranet',
          dataSourceConfiguration: { type: 'WEB', webConfiguration: { sourceConfiguration: { urlConfiguration: { seedUrls: [{ url: `${website.origin}/` }] } } } },
        }),
      ),
      'ValidationException',
      400,
      new RegExp(`${website.origin.replace(/\./g, '\\.')}/ cannot be crawled: 127\\.0\\.0\\.1 is a loopback address`),
    );
    const disguised = [`http://localhost:${website.port}/`, `http://2130706433:${website.port}/`, `http://0x7f.1:${website.port}/`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.8/wiki'];
    for (const url of disguised) {
      await rejectsWith(
        agent().send(new CreateDataSourceCommand({ knowledgeBaseId, name: 'intranet', dataSourceConfiguration: { type: 'WEB', webConfiguration: { sourceConfiguration: { urlConfiguration: { seedUrls: [{ url }] } } } } })),
        'ValidationException',
        400,
        /cannot be crawled: .* (loopback|link-local|private)/,
      );
    }
    // Bedrock's seed-URL pattern (^https?://[A-Za-z0-9]...) already refuses bracketed IPv6 literals
    await rejectsWith(
      agent().send(
        new CreateDataSourceCommand({
          knowledgeBaseId,
          name: 'intranet',
          dataSourceConfiguration: { type: 'WEB', webConfiguration: { sourceConfiguration: { urlConfiguration: { seedUrls: [{ url: `http://[::ffff:127.0.0.1]:${website.port}/` }] } } } },
        }),
      ),
      'ValidationException',
      400,
      /seedUrls/,
    );
    assert.equal(website.requests.length, 0, 'the private site was never fetched');
    const still = await retrieve({ retrievalQuery: { text: 'annual rainfall at Kestrel Ridge' }, retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 1 } } });
    assert.equal(uriOf(still[0]), docUri('rainfall-report.pdf'), 'the stored chunks are intact');
  });
});

describe('hierarchical chunking through the AWS SDK', () => {
  it('retrieves the parent chunk around the matching child', async () => {
    const { knowledgeBaseId, dataSourceId } = await createFolderKnowledgeBase(agent(), {
      name: 'cave-kb',
      bucket: 'cave-docs',
      dataSourceName: 'cave-folder',
      chunkingConfiguration: { chunkingStrategy: 'HIERARCHICAL', hierarchicalChunkingConfiguration: { levelConfigurations: [{ maxTokens: 200 }, { maxTokens: 30 }], overlapTokens: 5 } },
    });
    const done = await sync(knowledgeBaseId, dataSourceId);
    assert.equal(done.status, 'COMPLETE', done.failureReasons?.join('; '));
    assert.equal(done.statistics?.numberOfNewDocumentsIndexed, 1);
    const { retrievalResults } = await runtime().send(
      new RetrieveCommand({ knowledgeBaseId, retrievalQuery: { text: 'What is the emergency whistle code?' }, retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 3 } } }),
    );
    const top = retrievalResults?.[0];
    const text = top?.content?.text ?? '';
    assert.match(text, /three long blasts/);
    assert.ok(caveHandbook.includes(text), 'the returned span is a slice of the document');
    assert.ok(text.split(/\s+/).length > 30, `a parent chunk, longer than a 30-token child: ${JSON.stringify(text)}`);
    const ids = (retrievalResults ?? []).map((result) => result.metadata?.['x-amz-bedrock-kb-chunk-id']);
    assert.equal(new Set(ids).size, ids.length, 'children of one parent are merged into one result');

    await agent().send(new DeleteDataSourceCommand({ knowledgeBaseId, dataSourceId }));
    const { retrievalResults: afterDelete } = await runtime().send(new RetrieveCommand({ knowledgeBaseId, retrievalQuery: { text: 'What is the emergency whistle code?' } }));
    assert.deepEqual(afterDelete, [], 'deleting the data source (dataDeletionPolicy DELETE) removed its chunks');
    await agent().send(new DeleteKnowledgeBaseCommand({ knowledgeBaseId }));
    await rejectsWith(runtime().send(new RetrieveCommand({ knowledgeBaseId, retrievalQuery: { text: 'whistle' } })), 'ResourceNotFoundException', 404, new RegExp(knowledgeBaseId));
  });
});

describe('the same flow through boto3', () => {
  it('creates, ingests, retrieves with a filter and answers with citations', async () => {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'python', 'knowledge_flow_scenarios.py');
    const { code, stdout, stderr } = await runBoto3([script, server.url, 'arn:aws:s3:::company-docs', modelArn], 90_000);
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout) as {
      job: { status: string; statistics: Record<string, number> };
      retrieve: { uri: string; department: string; text: string }[];
      answer: { text: string; citations: { span: { start: number; end: number }; text: string; uris: string[] }[] };
      stream: { text: string; citations: number; sessionId: string };
      missing: { code: string; status: number } | null;
      badFilter: { code: string; status: number; message: string } | null;
    };
    assert.equal(result.job.status, 'COMPLETE');
    assert.equal(result.job.statistics.numberOfNewDocumentsIndexed, 4, 'the folder as the SDK test left it');
    assert.equal(result.job.statistics.numberOfDocumentsFailed, 1, 'minutes.txt and its bad sidecar');
    assert.ok(result.retrieve.length > 0);
    assert.ok(result.retrieve.every((entry) => entry.uri === docUri('leave-policy.docx') && entry.department === 'hr'));
    assert.match(result.retrieve[0]?.text ?? '', /twenty five days/);
    assert.match(result.answer.text, /840 millimetres/);
    const citation = result.answer.citations[0];
    assert.ok(citation);
    assert.equal(result.answer.text.slice(citation.span.start, citation.span.end + 1), citation.text);
    assert.deepEqual(citation.uris, [docUri('rainfall-report.pdf')]);
    assert.match(result.stream.text, /840 millimetres/);
    assert.ok(result.stream.citations > 0);
    assert.ok(result.stream.sessionId.length > 0);
    assert.deepEqual(result.missing, { code: 'ResourceNotFoundException', status: 404 });
    assert.equal(result.badFilter?.code, 'ValidationException');
    assert.equal(result.badFilter?.status, 400);
  });
});
