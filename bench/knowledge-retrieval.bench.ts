/**
 * The knowledge-retrieval benchmark (`npm run bench:knowledge`): the chunk index's `searchVector`
 * (k = 10) latency p50/p99 and recall@10 against exact (brute-force cosine) search, on
 * - 100,000 chunks of clustered 512-dimension vectors (the realistic case: 400 topics, each chunk a
 *   topic centre plus noise, queries drawn the same way) in the SQLite store: unfiltered, with a
 *   broad filter (10% of chunks) and a selective one (0.1%), plus keyword (BM25) search;
 * - 1,000,000 uniformly random 512-dimension vectors in the SQLite store (the worst case for any
 *   quantized or graph index: neighbours are barely nearer than anything else);
 * - the PostgreSQL store (pgvector HNSW) on PGlite through pglite-socket and `pg`, at a size PGlite
 *   can load in reasonable time (PGlite is PostgreSQL compiled to WebAssembly, single-threaded).
 * Writes `bench/results/knowledge-retrieval-latest.md` and `.json`.
 *
 * Environment: `BENCH_CHUNKS` (default 100000), `BENCH_MILLION` (random vectors, default 1000000; 0
 * skips), `BENCH_PGLITE_CHUNKS` (default 5000; 0 skips), `BENCH_QUERIES` (default 200), `BENCH_NOISE`
 * (per-dimension noise around the topic centres, default 0.8). Results are written only for the defaults.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { vector } from '@electric-sql/pglite/vector';
import type { ChunkIndex, ChunkToIndex } from '../src/core/knowledge/index/chunk-index.js';
import type { RetrievalFilter } from '../src/core/knowledge/index/retrieval-filter.js';
import { openKnowledgeStores } from '../src/storage/knowledge/open-knowledge-stores.js';
import { openSqliteDatabase } from '../src/storage/sql/sqlite/open-sqlite-database.js';
import { startPglitePostgres } from '../test/support/pglite-postgres.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { repositoryRoot, sourceRevision } from './support/child-processes.js';
import { type LatencySummary, summarizeLatency } from './support/latency-summary.js';

const dimensions = 512;
const chunkCount = Number(process.env.BENCH_CHUNKS ?? 100_000);
const millionCount = Number(process.env.BENCH_MILLION ?? 1_000_000);
const pgliteCount = Number(process.env.BENCH_PGLITE_CHUNKS ?? 5_000);
const queryCount = Number(process.env.BENCH_QUERIES ?? 200);
const topics = 400;
/** noise per dimension relative to the topic centre: chunks of one topic have cosine ≈ 1 / (1 + σ²) ≈ 0.6 */
const noise = Number(process.env.BENCH_NOISE ?? 0.8);
const chunksPerDocument = 250;
const k = 10;
const workDirectory = join(repositoryRoot, 'bench', 'tmp', 'knowledge-retrieval');
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** mulberry32 moved into (0, 1), so Box–Muller never takes log(0): the same data on every run. */
function uniformGenerator(seed: number): () => number {
  const next = seededRandom(seed);
  return () => (next() * 4294967296 + 1) / 4294967297;
}

/** Box–Muller over mulberry32. */
function normalGenerator(seed: number): () => number {
  const uniform = uniformGenerator(seed);
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Row-major unit vectors, and how each was made. */
interface VectorSet {
  count: number;
  data: Float32Array;
  topic: Int32Array;
}

function normalizeInto(target: Float32Array, offset: number): void {
  let norm = 0;
  for (let index = 0; index < dimensions; index++) norm += target[offset + index]! ** 2;
  norm = Math.sqrt(norm) || 1;
  for (let index = 0; index < dimensions; index++) target[offset + index]! /= norm;
}

function clusteredVectors(count: number, seed: number, centres: Float32Array): VectorSet {
  const normal = normalGenerator(seed);
  const uniform = uniformGenerator(seed + 1000);
  const data = new Float32Array(count * dimensions);
  const topic = new Int32Array(count);
  for (let row = 0; row < count; row++) {
    const centre = Math.min(topics - 1, Math.floor(uniform() * topics));
    topic[row] = centre;
    for (let index = 0; index < dimensions; index++) data[row * dimensions + index] = centres[centre * dimensions + index]! + noise * normal();
    normalizeInto(data, row * dimensions);
  }
  return { count, data, topic };
}

function randomVectors(count: number, seed: number): VectorSet {
  const normal = normalGenerator(seed);
  const data = new Float32Array(count * dimensions);
  for (let row = 0; row < count; row++) {
    for (let index = 0; index < dimensions; index++) data[row * dimensions + index] = normal();
    normalizeInto(data, row * dimensions);
  }
  return { count, data, topic: new Int32Array(count) };
}

function topicCentres(seed: number): Float32Array {
  const normal = normalGenerator(seed);
  return Float32Array.from({ length: topics * dimensions }, normal);
}

const words = Array.from({ length: 5000 }, (_, index) => `w${index.toString(36)}`);

/** The attributes filters select on: `genre` (10 values: 10%), `shard` (1,000 values: 0.1%). */
function metadataOf(row: number): Record<string, string | number> {
  return { genre: `g${row % 10}`, shard: Math.floor(row / 10) % 1000, year: 1990 + (row % 30) };
}

function textOf(set: VectorSet, row: number): string {
  // topic words make keyword search meaningful; the rest is filler from a Zipf-like vocabulary
  const topic = set.topic[row]!;
  const filler = Array.from({ length: 30 }, (_, index) => words[Math.floor(((row * 31 + index * 17) % 4999) ** 2 / 4999)]!);
  return `topic${topic} subject${topic % 50} ${filler.join(' ')}`;
}

async function load(index: ChunkIndex, knowledgeBaseId: string, set: VectorSet, withText: boolean): Promise<number> {
  const started = performance.now();
  for (let first = 0; first < set.count; first += chunksPerDocument) {
    const documentId = `doc-${first / chunksPerDocument}`;
    const chunks: ChunkToIndex[] = [];
    for (let row = first; row < Math.min(set.count, first + chunksPerDocument); row++) {
      chunks.push({
        id: `c${row}`,
        knowledgeBaseId,
        dataSourceId: 'DS00000001',
        documentId,
        text: withText ? textOf(set, row) : `chunk ${row}`,
        location: { type: 'S3', s3Location: { uri: `s3://bench/${documentId}` } },
        metadata: metadataOf(row),
        embedding: set.data.subarray(row * dimensions, (row + 1) * dimensions),
      });
    }
    await index.replaceDocument(knowledgeBaseId, 'DS00000001', documentId, chunks);
  }
  return (performance.now() - started) / 1000;
}

/** The exact top k by cosine (vectors are unit length, so by dot product), among rows passing `keep`. */
function exactTop(set: VectorSet, query: Float32Array, keep?: (row: number) => boolean): string[] {
  const best: { row: number; score: number }[] = [];
  for (let row = 0; row < set.count; row++) {
    if (keep && !keep(row)) continue;
    let dot = 0;
    const offset = row * dimensions;
    for (let index = 0; index < dimensions; index++) dot += set.data[offset + index]! * query[index]!;
    if (best.length < k || dot > best[best.length - 1]!.score) {
      best.push({ row, score: dot });
      best.sort((a, b) => b.score - a.score);
      if (best.length > k) best.pop();
    }
  }
  return best.map((item) => `c${item.row}`);
}

interface SearchResult {
  latency: LatencySummary;
  recall: number;
  queries: number;
}

async function measureVector(index: ChunkIndex, knowledgeBaseId: string, set: VectorSet, queries: VectorSet, filter?: RetrievalFilter, keep?: (row: number) => boolean): Promise<SearchResult> {
  const samples: number[] = [];
  let recall = 0;
  for (let warm = 0; warm < 5; warm++) await index.searchVector(knowledgeBaseId, queries.data.subarray(0, dimensions), { k, ...(filter ? { filter } : {}) });
  for (let query = 0; query < queries.count; query++) {
    const vector = queries.data.subarray(query * dimensions, (query + 1) * dimensions);
    const started = performance.now();
    const results = await index.searchVector(knowledgeBaseId, vector, { k, ...(filter ? { filter } : {}) });
    samples.push(performance.now() - started);
    const expected = new Set(exactTop(set, vector, keep));
    recall += results.filter((result) => expected.has(result.chunk.id)).length / expected.size;
  }
  return { latency: summarizeLatency(samples), recall: recall / queries.count, queries: queries.count };
}

async function measureKeyword(index: ChunkIndex, knowledgeBaseId: string, count: number): Promise<LatencySummary> {
  const samples: number[] = [];
  for (let query = 0; query < count; query++) {
    const text = `topic${(query * 37) % topics} subject${query % 50} ${words[query % 200]}`;
    const started = performance.now();
    const results = await index.searchKeyword(knowledgeBaseId, text, { k });
    samples.push(performance.now() - started);
    if (results.length === 0) throw new Error(`keyword query "${text}" found nothing`);
  }
  return summarizeLatency(samples);
}

interface Scenario {
  store: string;
  data: string;
  chunks: number;
  loadSeconds: number;
  searches: Record<string, SearchResult | { latency: LatencySummary }>;
}

const genreFilter: RetrievalFilter = { equals: { key: 'genre', value: 'g3' } };
const shardFilter: RetrievalFilter = { equals: { key: 'shard', value: 7 } };

async function clusteredScenario(store: string, index: ChunkIndex, count: number, centres: Float32Array, queries: number): Promise<Scenario> {
  const set = clusteredVectors(count, 11, centres);
  const questions = clusteredVectors(queries, 12, centres);
  await index.createKnowledgeBase('KB00000001', dimensions);
  const loadSeconds = await load(index, 'KB00000001', set, true);
  console.log(`${store}: loaded ${count} clustered chunks in ${round(loadSeconds, 1)} s`);
  const searches: Scenario['searches'] = {};
  searches['vector, no filter'] = await measureVector(index, 'KB00000001', set, questions);
  searches['vector, genre filter (10%)'] = await measureVector(index, 'KB00000001', set, questions, genreFilter, (row) => row % 10 === 3);
  searches['vector, shard filter (0.1%)'] = await measureVector(index, 'KB00000001', set, questions, shardFilter, (row) => Math.floor(row / 10) % 1000 === 7);
  searches['keyword (BM25 / ts_rank)'] = { latency: await measureKeyword(index, 'KB00000001', queries) };
  for (const [name, result] of Object.entries(searches)) console.log(`  ${name}: p50 ${round(result.latency.p50)} ms, p99 ${round(result.latency.p99)} ms${'recall' in result ? `, recall@10 ${round(result.recall, 3)}` : ''}`);
  return { store, data: `clustered (${topics} topics)`, chunks: count, loadSeconds, searches };
}

async function sqliteScenarios(): Promise<Scenario[]> {
  const scenarios: Scenario[] = [];
  const centres = topicCentres(10);
  rmSync(workDirectory, { recursive: true, force: true });
  mkdirSync(workDirectory, { recursive: true });
  {
    const database = openSqliteDatabase({ path: join(workDirectory, 'clustered.db') });
    const { index } = await openKnowledgeStores(database);
    scenarios.push(await clusteredScenario('sqlite', index, chunkCount, centres, queryCount));
    await database.close();
  }
  if (millionCount > 0) {
    const database = openSqliteDatabase({ path: join(workDirectory, 'random.db') });
    const { index } = await openKnowledgeStores(database);
    const set = randomVectors(millionCount, 21);
    const questions = randomVectors(Math.min(queryCount, 50), 22);
    await index.createKnowledgeBase('KB00000002', dimensions);
    const loadSeconds = await load(index, 'KB00000002', set, false);
    console.log(`sqlite: loaded ${millionCount} random vectors in ${round(loadSeconds, 1)} s`);
    const result = await measureVector(index, 'KB00000002', set, questions);
    console.log(`  vector, no filter: p50 ${round(result.latency.p50)} ms, p99 ${round(result.latency.p99)} ms, recall@10 ${round(result.recall, 3)}`);
    scenarios.push({ store: 'sqlite', data: 'uniform random', chunks: millionCount, loadSeconds, searches: { 'vector, no filter': result } });
    await database.close();
  }
  rmSync(workDirectory, { recursive: true, force: true });
  return scenarios;
}

async function pgliteScenario(): Promise<Scenario | undefined> {
  if (pgliteCount <= 0) return undefined;
  const postgres = await startPglitePostgres({ extensions: { vector } });
  const database = postgres.connect();
  try {
    const { index } = await openKnowledgeStores(database);
    return await clusteredScenario('postgres (PGlite)', index, pgliteCount, topicCentres(10), Math.min(queryCount, 100));
  } finally {
    await database.close();
    await postgres.close();
  }
}

function report(scenarios: Scenario[], startedAt: Date, seconds: number): string {
  const lines = [
    '# Knowledge retrieval benchmark',
    '',
    `${startedAt.toISOString()}, revision ${sourceRevision()}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average at start ${loadavg()[0]?.toFixed(2)}; ${Math.round(seconds)} s in all.`,
    '',
    `k = ${k}, ${dimensions} dimensions. Recall@10 is against exact cosine search over the same chunks (with the same filter). Clustered data: ${topics} topic centres, each chunk its centre plus N(0, ${noise}²) noise per dimension, unit length; queries are fresh draws from the same mixture. Latency is one \`searchVector\` / \`searchKeyword\` call in process (no HTTP).`,
    '',
    '| Store | Data | Chunks | Load (s) | Search | p50 (ms) | p99 (ms) | recall@10 |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const scenario of scenarios) {
    for (const [name, result] of Object.entries(scenario.searches)) {
      lines.push(
        `| ${scenario.store} | ${scenario.data} | ${scenario.chunks.toLocaleString('en-US')} | ${round(scenario.loadSeconds, 1)} | ${name} | ${round(result.latency.p50)} | ${round(result.latency.p99)} | ${'recall' in result ? round(result.recall, 3) : '—'} |`,
      );
    }
  }
  const target = scenarios.find((scenario) => scenario.store === 'sqlite' && scenario.chunks === 100_000 && scenario.data.startsWith('clustered'))?.searches['vector, no filter'];
  lines.push('');
  if (target && 'recall' in target) {
    const met = target.latency.p50 < 20 && target.recall >= 0.95;
    lines.push(`Target (SQLite, 100,000 clustered chunks): p50 < 20 ms and recall@10 ≥ 0.95 — ${met ? 'met' : 'NOT met'} (p50 ${round(target.latency.p50)} ms, recall@10 ${round(target.recall, 3)}).`);
  }
  lines.push(
    '',
    'PostgreSQL runs on PGlite (PostgreSQL 17 compiled to WebAssembly, one thread, through pglite-socket and the `pg` driver), so expect a native PostgreSQL with pgvector to be faster than these numbers; PGlite loads about 100 chunks a second with the HNSW index maintained on insert, which is why it is measured on fewer chunks.',
  );
  return `${lines.join('\n')}\n`;
}

const startedAt = new Date();
const scenarios = await sqliteScenarios();
const pg = await pgliteScenario();
if (pg) scenarios.push(pg);
const seconds = (Date.now() - startedAt.getTime()) / 1000;
const markdown = report(scenarios, startedAt, seconds);
const resultsDirectory = join(repositoryRoot, 'bench', 'results');
if (chunkCount === 100_000 && noise === 0.8) {
  writeFileSync(join(resultsDirectory, 'knowledge-retrieval-latest.md'), markdown);
  writeFileSync(join(resultsDirectory, 'knowledge-retrieval-latest.json'), `${JSON.stringify({ startedAt, seconds, scenarios }, null, 2)}\n`);
}
console.log(`\n${markdown}`);
