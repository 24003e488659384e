/**
 * The retrieval quality benchmark (`npm run bench:knowledge-quality`): a labeled question set over a
 * small geology-lab handbook (`bench/data/knowledge/geology-lab.json`: 25 documents, 61 questions,
 * each naming the document(s) that answer it), ingested with the built-in embedding model (Universal
 * Sentence Encoder lite) into the real SQLite chunk index (sqlite-vec + FTS5), chunked FIXED_SIZE
 * at 64 tokens with 20% overlap so most documents span several chunks. Each question is retrieved
 * with `retrieveChunks` as SEMANTIC and as HYBRID (top 10); relevance is per document (a chunk is
 * relevant when its document is labeled relevant; a document counts once). Reports nDCG@10,
 * recall@10 and MRR to `bench/results/knowledge-quality-latest.md` and `.json`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkDocument } from '../src/core/knowledge/chunking/chunk-document.js';
import { loadTokenCounter } from '../src/core/knowledge/chunking/token-counter.js';
import type { ChunkToIndex } from '../src/core/knowledge/index/chunk-index.js';
import type { KnowledgeBaseLookup } from '../src/core/knowledge/registry/knowledge-base-lookup.js';
import type { KnowledgeBaseRecord } from '../src/core/knowledge/registry/knowledge-base-record.js';
import type { RetrievedChunk } from '../src/core/knowledge/retrieval/collapse-to-parents.js';
import { type SearchType, retrieveChunks } from '../src/core/knowledge/retrieval/retrieve-chunks.js';
import { createUniversalSentenceEncoderProvider } from '../src/providers/universal-sentence-encoder/universal-sentence-encoder-provider.js';
import { openKnowledgeStores } from '../src/storage/knowledge/open-knowledge-stores.js';
import { openSqlDatabase } from '../src/storage/sql/open-sql-database.js';
import { repositoryRoot, sourceRevision } from './support/child-processes.js';

interface Dataset {
  documents: { id: string; text: string }[];
  questions: { question: string; relevant: string[] }[];
}

const k = 10;
const knowledgeBaseId = 'KBQUALITY1';
const dataSourceId = 'DSQUALITY1';
const resultsDir = join(repositoryRoot, 'bench', 'results');

/** nDCG@k with binary gains per document (a document's first chunk counts, later ones do not). */
export function ndcgAtK(rankedDocuments: readonly string[], relevant: ReadonlySet<string>, cutoff = k): number {
  const seen = new Set<string>();
  let dcg = 0;
  rankedDocuments.slice(0, cutoff).forEach((document, index) => {
    if (relevant.has(document) && !seen.has(document)) dcg += 1 / Math.log2(index + 2);
    seen.add(document);
  });
  let ideal = 0;
  for (let index = 0; index < Math.min(cutoff, relevant.size); index++) ideal += 1 / Math.log2(index + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

export function recallAtK(rankedDocuments: readonly string[], relevant: ReadonlySet<string>, cutoff = k): number {
  const found = new Set(rankedDocuments.slice(0, cutoff).filter((document) => relevant.has(document)));
  return relevant.size === 0 ? 0 : found.size / relevant.size;
}

function reciprocalRank(rankedDocuments: readonly string[], relevant: ReadonlySet<string>): number {
  const index = rankedDocuments.slice(0, k).findIndex((document) => relevant.has(document));
  return index === -1 ? 0 : 1 / (index + 1);
}

async function main(): Promise<void> {
  const dataset = JSON.parse(readFileSync(join(repositoryRoot, 'bench', 'data', 'knowledge', 'geology-lab.json'), 'utf8')) as Dataset;
  const provider = createUniversalSentenceEncoderProvider({ name: 'bench' });
  const embeddingModel = provider.embeddingModel?.('universal-sentence-encoder-lite', { dimensions: 512 });
  if (!embeddingModel) throw new Error('the built-in provider has no embedding model');
  const dataDir = mkdtempSync(join(tmpdir(), 'outcrop-kq-'));
  const database = await openSqlDatabase({ driver: 'sqlite', dataDir });
  const { index } = await openKnowledgeStores(database);
  try {
    await index.createKnowledgeBase(knowledgeBaseId, embeddingModel.dimensions);
    const tokenCounter = await loadTokenCounter();
    let chunkCount = 0;
    const ingestStarted = performance.now();
    for (const document of dataset.documents) {
      const chunks = await chunkDocument({ documentId: document.id, text: document.text, sections: [] }, { type: 'FIXED_SIZE', maxTokens: 64, overlapPercentage: 20 }, { tokenCounter });
      const { embeddings } = await embeddingModel.embed({ values: chunks.map((chunk) => chunk.text), purpose: 'document' });
      const uri = `s3://geology-lab/${document.id}.txt`;
      const toIndex: ChunkToIndex[] = chunks.map((chunk, position) => ({
        id: chunk.id,
        knowledgeBaseId,
        dataSourceId,
        documentId: document.id,
        text: chunk.text,
        location: { type: 'S3', s3Location: { uri } },
        metadata: { 'x-amz-bedrock-kb-source-uri': uri, 'x-amz-bedrock-kb-chunk-id': chunk.id, 'x-amz-bedrock-kb-data-source-id': dataSourceId },
        embedding: Float32Array.from(embeddings[position] ?? []),
      }));
      chunkCount += toIndex.length;
      await index.replaceDocument(knowledgeBaseId, dataSourceId, document.id, toIndex);
    }
    const ingestMs = performance.now() - ingestStarted;
    const now = new Date();
    const record: KnowledgeBaseRecord = {
      knowledgeBaseId,
      name: 'geology-lab',
      roleArn: 'arn:aws:iam::000000000000:role/bench',
      knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'amazon.titan-embed-text-v2:0' } },
      dimensions: embeddingModel.dimensions,
      status: 'ACTIVE',
      createdAt: now,
      updatedAt: now,
    };
    const lookup: KnowledgeBaseLookup = { get: async () => record, embeddingModel: () => embeddingModel, index };
    const rows: Record<SearchType, { ndcg: number; recall: number; mrr: number; ms: number; perQuestion: number[] }> = {
      SEMANTIC: { ndcg: 0, recall: 0, mrr: 0, ms: 0, perQuestion: [] },
      HYBRID: { ndcg: 0, recall: 0, mrr: 0, ms: 0, perQuestion: [] },
    };
    for (const searchType of ['SEMANTIC', 'HYBRID'] as const) {
      const row = rows[searchType];
      for (const { question, relevant } of dataset.questions) {
        const started = performance.now();
        const results: RetrievedChunk[] = await retrieveChunks(lookup, { knowledgeBaseId, query: question, searchType, numberOfResults: k });
        row.ms += performance.now() - started;
        const ranked = results.map((result) => result.documentId);
        const relevantSet = new Set(relevant);
        const ndcg = ndcgAtK(ranked, relevantSet);
        row.perQuestion.push(ndcg);
        row.ndcg += ndcg;
        row.recall += recallAtK(ranked, relevantSet);
        row.mrr += reciprocalRank(ranked, relevantSet);
      }
      const count = dataset.questions.length;
      row.ndcg /= count;
      row.recall /= count;
      row.mrr /= count;
      row.ms /= count;
    }
    const better = rows.HYBRID.perQuestion.filter((value, position) => value > (rows.SEMANTIC.perQuestion[position] ?? 0)).length;
    const worse = rows.HYBRID.perQuestion.filter((value, position) => value < (rows.SEMANTIC.perQuestion[position] ?? 0)).length;
    const summary = {
      date: now.toISOString(),
      revision: sourceRevision(),
      machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`,
      documents: dataset.documents.length,
      chunks: chunkCount,
      questions: dataset.questions.length,
      ingestMs: Math.round(ingestMs),
      semantic: { ndcgAt10: rows.SEMANTIC.ndcg, recallAt10: rows.SEMANTIC.recall, mrr: rows.SEMANTIC.mrr, meanQueryMs: rows.SEMANTIC.ms },
      hybrid: { ndcgAt10: rows.HYBRID.ndcg, recallAt10: rows.HYBRID.recall, mrr: rows.HYBRID.mrr, meanQueryMs: rows.HYBRID.ms },
      hybridBetterOn: better,
      hybridWorseOn: worse,
      hybridAtLeastAsGood: rows.HYBRID.ndcg >= rows.SEMANTIC.ndcg,
    };
    const format = (value: number) => value.toFixed(3);
    const markdown = `# Knowledge-base retrieval quality

${summary.date}, revision ${summary.revision}; ${summary.machine}.

Corpus: \`bench/data/knowledge/geology-lab.json\`, ${summary.documents} documents of a geology-lab handbook cut into ${summary.chunks} chunks (FIXED_SIZE, 64 tokens, 20% overlap), embedded with the built-in Universal Sentence Encoder lite (512 dimensions) into the SQLite chunk index (sqlite-vec, FTS5 BM25) in ${summary.ingestMs} ms. ${summary.questions} questions, each labeled with the document(s) that answer it; relevance is per document, binary, a document counted once. Retrieval through \`retrieveChunks\`, top ${k}.

| search type | nDCG@10 | recall@10 | MRR | mean query ms |
| --- | ---: | ---: | ---: | ---: |
| SEMANTIC | ${format(summary.semantic.ndcgAt10)} | ${format(summary.semantic.recallAt10)} | ${format(summary.semantic.mrr)} | ${summary.semantic.meanQueryMs.toFixed(1)} |
| HYBRID (vector + BM25, RRF k=60) | ${format(summary.hybrid.ndcgAt10)} | ${format(summary.hybrid.recallAt10)} | ${format(summary.hybrid.mrr)} | ${summary.hybrid.meanQueryMs.toFixed(1)} |

HYBRID ranks the answering document higher than SEMANTIC on ${better} questions and lower on ${worse}. Hybrid at least as good as semantic on nDCG@10: **${summary.hybridAtLeastAsGood ? 'yes' : 'no'}**.
`;
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'knowledge-quality-latest.md'), markdown);
    writeFileSync(join(resultsDir, 'knowledge-quality-latest.json'), `${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(markdown);
    if (!summary.hybridAtLeastAsGood) process.exitCode = 1;
  } finally {
    await index.close?.();
    await database.close();
    await provider.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
