/**
 * The embedded llama.cpp benchmark (`npx tsx bench/llama.bench.ts`): prompt and generation tokens per
 * second, and time to first token, through ConverseStream on a server in this process against
 * node-llama-cpp called directly (LlamaChat on its own context) on the same GGUF, at 1 and 4
 * concurrent streams. Each request is built and signed by the AWS SDK, then leaves the client at its start time
 * (bench/support/converse-stream-phase.ts); its clock starts there.
 * The model is SmolLM2-135M's exact shapes (30 layers, 49,152-token vocabulary,
 * F16) with random weights, from scripts/make-test-gguf.ts; both paths decode greedily with the same
 * threads and sequences, one path at a time. Writes `bench/results/llama-latest.md` and `.json`.
 *
 * Environment:
 * - `BENCH_LLAMA_PRESET`: `smollm2-135m` (default) or `llama` (4 layers, for a smoke run)
 * - `BENCH_LLAMA_TOKENS`: tokens generated per stream (default 64)
 * - `BENCH_LLAMA_RUNS`: runs per phase; the median run is reported (default 3)
 * - `BENCH_LLAMA_THREADS`: llama.cpp threads (default: the provider's default, half the cores)
 * - `BENCH_LLAMA_TTFT_SAMPLES`: single-stream requests per path for the TTFT overhead, on a short prompt (default 100); each
 *   is also measured outside llama.cpp's decodes (bench/support/decode-trace.ts), which removes the decode's own variation
 * - `BENCH_LLAMA_STAGGER_MS`: comma-separated spacings of the staggered 4-stream scenarios: stream k starts k × this many ms after the first, on both paths (default `10,50`)
 * - `BENCH_LLAMA_BATCH_SIZE`: the llama-cpp provider's `batchSize` for the ConverseStream path (default: unset, node-llama-cpp's)
 * - `BENCH_LLAMA_CLIENT`: `worker` (default): the AWS SDK client runs on a worker thread, so it reads its streams without
 *   waiting for the server's event loop, as a client in another process would; `inline`: on the server's thread
 *
 * Scenarios: 1 stream; 4 streams started in one tick (the direct path's 4 calls are made in one tick; the
 * client sends the 4 requests in one tick); 4 streams started 10 ms and 50 ms apart, on both paths (the
 * same arrivals reach node-llama-cpp).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import pino from 'pino';
import { type TestModelPreset, makeTestGguf } from '../scripts/make-test-gguf.js';
import { parseConfig } from '../src/config/config.js';
import { startOutcrop } from '../src/server/outcrop.js';
import { repositoryRoot, sourceRevision } from './support/child-processes.js';
import { type PhaseResult, type PhaseStreamSample, runConverseStreamPhase } from './support/converse-stream-phase.js';
import { ConverseStreamWorker } from './support/converse-stream-worker.js';
import { RawConverseStream } from './support/raw-converse-stream.js';
import { traceDecodes } from './support/decode-trace.js';

const preset = (process.env.BENCH_LLAMA_PRESET ?? 'smollm2-135m') as TestModelPreset;
const maxTokens = Number(process.env.BENCH_LLAMA_TOKENS ?? 64);
const runs = Number(process.env.BENCH_LLAMA_RUNS ?? 3);
const ttftSamples = Number(process.env.BENCH_LLAMA_TTFT_SAMPLES ?? 100);
const threads = Number(process.env.BENCH_LLAMA_THREADS ?? Math.max(1, Math.floor(availableParallelism() / 2)));
const batchSize = process.env.BENCH_LLAMA_BATCH_SIZE ? Number(process.env.BENCH_LLAMA_BATCH_SIZE) : undefined;
const clientThread = process.env.BENCH_LLAMA_CLIENT === 'inline' ? 'inline' : 'worker';
const staggers = (process.env.BENCH_LLAMA_STAGGER_MS ?? '10,50')
  .split(',')
  .map(Number)
  .filter((value) => value > 0);
/** concurrency, and the ms between stream starts (0: all in one tick) */
interface Scenario {
  concurrency: number;
  staggerMs: number;
}
const scenarios: Scenario[] = [{ concurrency: 1, staggerMs: 0 }, { concurrency: 4, staggerMs: 0 }, ...staggers.map((staggerMs) => ({ concurrency: 4, staggerMs }))];
const sequences = Math.max(...scenarios.map((scenario) => scenario.concurrency));
const contextSize = 2048;
const credentials = { accessKeyId: 'AKIAOUTCROPLLAMABENCH', secretAccessKey: 'outcrop/bench/llama/0123456789abcdefghij' };
const resultsDir = join(repositoryRoot, 'bench', 'results');

/** About 200 prompt tokens; each stream gets its own first line, so no stream reuses another's cache. */
function prompt(index: number): string {
  return `Request ${index}. Describe the rocks of this field trip: ${'granite outcrops along the ridge, red sandstone layers, quartz veins in schist, basalt columns by the shore, '.repeat(5)}`;
}

/**
 * A one-line prompt, for the TTFT overhead: the overhead does not grow with the prompt, and a short prompt's decode (tens
 * of ms) varies far less than a long one's, so the difference between the paths is measured to a fraction of a ms.
 */
function shortPrompt(index: number): string {
  return `Request ${index}. Name one rock.`;
}

/** One stream's timings (the direct path's too: its start is the call). */
type StreamSample = PhaseStreamSample;

/** One phase: `concurrency` streams, started together or `staggerMs` apart. */
type PhaseSample = PhaseResult;

interface PhaseSummary {
  path: 'direct' | 'ConverseStream';
  concurrency: number;
  staggerMs: number;
  /** all streams' prompt tokens over the time from the first start until the last first token */
  promptTokensPerSecond: number;
  /** all streams' generated tokens (after each first token) over the generation window */
  generationTokensPerSecond: number;
  /** one stream's generation rate, mean over streams */
  perStreamTokensPerSecond: number;
  /** all streams' tokens while every stream was generating (from the last first token to the first end) */
  steadyGenerationTokensPerSecond: number | undefined;
  ttftMsMedian: number;
  /** from the first request sent to the last stream's end, median over runs */
  wallMsMedian: number;
  /** all streams' prompt and generated tokens over that wall time, median over runs: the same work on both paths */
  endToEndTokensPerSecond: number;
  outputTokens: number;
  runs: PhaseSample[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * Tokens per second while every stream was generating: streams that start together in one process
 * (direct) batch their prompts into one decode, requests arriving over HTTP a few ms apart do not, so
 * the whole-window rate also measures arrival spread; this one compares the decoding itself.
 */
function steadyRate(streams: StreamSample[]): number | undefined {
  const start = Math.max(...streams.map((stream) => stream.chunkTimes[0] ?? Number.POSITIVE_INFINITY));
  const end = Math.min(...streams.map((stream) => stream.endedAt));
  if (!(end - start > 50)) return undefined;
  let tokens = 0;
  for (const stream of streams) {
    const perChunk = stream.chunkTimes.length > 1 ? Math.max(stream.outputTokens - 1, 0) / (stream.chunkTimes.length - 1) : 0;
    tokens += stream.chunkTimes.filter((time) => time > start && time <= end).length * perChunk;
  }
  return tokens / ((end - start) / 1000);
}

function summarize(path: PhaseSummary['path'], { concurrency, staggerMs }: Scenario, samples: PhaseSample[]): PhaseSummary {
  const rates = samples.map((sample) => {
    // (on the phase's clock, so that streams started later are measured from the phase's start)
    const firstTokenBy = Math.max(...sample.streams.map((stream) => stream.startedAt + stream.ttftMs)) - sample.startedAt;
    const generated = sample.streams.reduce((sum, stream) => sum + Math.max(stream.outputTokens - 1, 0), 0);
    const window = Math.max(...sample.streams.map((stream) => stream.endedAt)) - Math.min(...sample.streams.map((stream) => stream.startedAt + stream.ttftMs));
    return {
      prompt: sample.streams.reduce((sum, stream) => sum + stream.promptTokens, 0) / (firstTokenBy / 1000),
      generation: generated / (window / 1000),
      perStream: sample.streams.reduce((sum, stream) => sum + Math.max(stream.outputTokens - 1, 0) / (stream.generationMs / 1000), 0) / sample.streams.length,
      ttft: median(sample.streams.map((stream) => stream.ttftMs)),
      steady: steadyRate(sample.streams),
    };
  });
  // each rate is the median over runs on its own (a run's prompt rate rests on one TTFT, as noisy as any other sample)
  const middle = rates.map((rate, index) => ({ rate, index })).sort((a, b) => a.rate.generation - b.rate.generation)[Math.floor(rates.length / 2)]?.index ?? 0;
  const steady = rates.map((rate) => rate.steady).filter((rate): rate is number => rate !== undefined);
  return {
    path,
    concurrency,
    staggerMs,
    promptTokensPerSecond: median(rates.map((rate) => rate.prompt)),
    generationTokensPerSecond: median(rates.map((rate) => rate.generation)),
    perStreamTokensPerSecond: median(rates.map((rate) => rate.perStream)),
    steadyGenerationTokensPerSecond: steady.length ? median(steady) : undefined,
    ttftMsMedian: median(rates.map((rate) => rate.ttft)),
    wallMsMedian: median(samples.map((sample) => sample.wallMs)),
    endToEndTokensPerSecond: median(
      samples.map((sample) => sample.streams.reduce((sum, stream) => sum + stream.promptTokens + stream.outputTokens, 0) / (sample.wallMs / 1000)),
    ),
    outputTokens: samples[middle]?.streams.reduce((sum, stream) => sum + stream.outputTokens, 0) ?? 0,
    runs: samples,
  };
}

async function main(): Promise<void> {
  const modelPath = makeTestGguf(preset);
  const loadAverageAtStart = loadavg();
  log(`model ${modelPath}, ${maxTokens} tokens per stream, ${threads} threads, ${runs} runs per phase`);

  // node-llama-cpp directly: the same calls an application would make
  const { getLlama, LlamaChat, LlamaContext, resolveChatWrapper, LlamaLogLevel } = await import('node-llama-cpp');
  // (both paths' contexts live in this process: the TTFT samples are also measured outside llama.cpp's decodes)
  const decodes = traceDecodes(LlamaContext);
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize, sequences, threads });
  const chatWrapper = resolveChatWrapper(model);
  const slots = Array.from({ length: sequences }, () => context.getSequence());
  let counter = 0;
  const direct = async (slot: number, tokens = maxTokens, text = prompt(counter++)): Promise<StreamSample> => {
    const sequence = slots[slot];
    if (!sequence) throw new Error('no sequence');
    const chat = new LlamaChat({ contextSequence: sequence, chatWrapper });
    const history = [{ type: 'user' as const, text }, { type: 'model' as const, response: [] }];
    const promptTokens = chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer).length;
    const meter = sequence.tokenMeter.getState();
    const started = performance.now();
    const chunkTimes: number[] = [];
    await chat.generateResponse(history, {
      maxTokens: tokens,
      temperature: 0,
      onTextChunk: () => {
        chunkTimes.push(performance.now());
      },
    });
    const ended = performance.now();
    chat.dispose({ disposeSequence: false });
    const first = chunkTimes[0] ?? ended;
    return {
      promptTokens,
      outputTokens: sequence.tokenMeter.diff(meter).usedOutputTokens,
      ttftMs: first - started,
      generationMs: ended - first,
      chunkTimes,
      startedAt: started,
      endedAt: ended,
    };
  };

  // the same model through Outcrop
  const config = parseConfig(`
server: { port: 0, host: 127.0.0.1, logLevel: silent, builtinEmbeddings: false }
providers:
  local: { type: llama-cpp, gpu: false, threads: ${threads}, parallelSequences: ${sequences}, contextSize: ${contextSize}, idleUnloadMs: 0${batchSize === undefined ? '' : `, batchSize: ${batchSize}`} }
models:
  - { id: bench.llama, provider: local, upstreamModel: "${modelPath}" }
`);
  config.server.dataDir = join(repositoryRoot, 'bench', 'tmp', 'llama-data');
  const server = await startOutcrop({
    config,
    logger: pino({ level: 'silent' }),
    env: { OUTCROP_ROOT_ACCESS_KEY_ID: credentials.accessKeyId, OUTCROP_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey },
  });
  // the SDK client on a thread of its own, as a client in another process (or, inline, on the server's thread)
  const worker = clientThread === 'worker' ? await ConverseStreamWorker.start({ endpoint: server.url, region: 'us-east-1', credentials }) : undefined;
  const client = worker ? undefined : new BedrockRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const outcropPhase = (concurrency: number, stagger = 0, tokens = maxTokens, text = prompt): Promise<PhaseSample> => {
    const requests = Array.from({ length: concurrency }, (_, slot) => ({ modelId: 'bench.llama', prompt: text(counter++), maxTokens: tokens, delayMs: slot * stagger }));
    return worker ? worker.phase(requests) : runConverseStreamPhase(client as BedrockRuntimeClient, requests);
  };

  const phase = async (run: (slot: number) => Promise<StreamSample>, concurrency: number, stagger = 0): Promise<PhaseSample> => {
    const started = performance.now();
    const streams = await Promise.all(Array.from({ length: concurrency }, async (_, slot) => (slot > 0 && stagger > 0 ? sleep(slot * stagger).then(() => run(slot)) : run(slot))));
    return { startedAt: started, wallMs: performance.now() - started, streams };
  };

  try {
    // every sequence of both paths once, so each holds a previous request's tokens, as in steady state
    log('warm-up');
    await phase(direct, sequences);
    await outcropPhase(sequences);
    await phase(direct, 1);
    await outcropPhase(1);
    const phases: PhaseSummary[] = [];
    for (const scenario of scenarios) {
      const samples: Record<PhaseSummary['path'], PhaseSample[]> = { direct: [], ConverseStream: [] };
      for (let run = 0; run < runs; run++) {
        // alternate the paths, so drift in machine load hits both alike
        samples.direct.push(await phase(direct, scenario.concurrency, scenario.staggerMs));
        samples.ConverseStream.push(await outcropPhase(scenario.concurrency, scenario.staggerMs));
      }
      for (const path of ['direct', 'ConverseStream'] as const) {
        const summary = summarize(path, scenario, samples[path]);
        phases.push(summary);
        log(
          `${path} ${arrivals(scenario)}: prompt ${summary.promptTokensPerSecond.toFixed(0)} tok/s, generation ${summary.generationTokensPerSecond.toFixed(1)} tok/s, TTFT ${summary.ttftMsMedian.toFixed(0)} ms`,
        );
      }
    }
    // TTFT alone, on more samples than the phases and a short prompt (a 200-token prompt takes ~0.7 s, with tens of ms of jitter on a shared machine)
    // and over a bare HTTP connection, without the SDK client's own work on the clock
    const ttft: TtftSamples = { direct: [], ConverseStream: [], bare: [] };
    const outside: TtftSamples = { direct: [], ConverseStream: [], bare: [] };
    const bare = new RawConverseStream({ origin: server.url, region: 'us-east-1', ...credentials });
    const bareBody = (index: number) => ({ messages: [{ role: 'user', content: [{ text: shortPrompt(index) }] }], inferenceConfig: { maxTokens: 2, temperature: 0 } });
    const record = (path: keyof TtftSamples, startedAt: number, ms: number) => {
      ttft[path].push(ms);
      outside[path].push(ms - decodes.decodeMsWithin(startedAt, startedAt + ms));
    };
    try {
      for (let sample = 0; sample < ttftSamples; sample++) {
        const alone = await direct(0, 2, shortPrompt(counter++));
        record('direct', alone.startedAt, alone.ttftMs);
        const stream = (await outcropPhase(1, 0, 2, shortPrompt)).streams[0];
        record('ConverseStream', stream?.startedAt ?? 0, stream?.ttftMs ?? Number.NaN);
        const raw = await bare.timeToFirstText('bench.llama', bareBody(counter++));
        record('bare', raw.startedAt, raw.ms);
      }
    } finally {
      await bare.close();
    }
    log(
      `TTFT over ${ttftSamples} samples: direct ${median(ttft.direct).toFixed(1)} ms, ConverseStream ${median(ttft.ConverseStream).toFixed(1)} ms (SDK), ${median(ttft.bare).toFixed(1)} ms (bare HTTP); outside llama.cpp's decodes: ${median(outside.direct).toFixed(2)}, ${median(outside.ConverseStream).toFixed(2)}, ${median(outside.bare).toFixed(2)} ms`,
    );
    report(phases, { modelPath, loadAverageAtStart, ttft, outside });
  } finally {
    client?.destroy();
    await worker?.close();
    await server.close();
    await context.dispose();
    await model.dispose();
  }
}

/** Time to first text of one stream alone: direct, through the SDK, and over a bare HTTP connection. */
interface TtftSamples {
  direct: number[];
  ConverseStream: number[];
  bare: number[];
}

function report(phases: PhaseSummary[], meta: { modelPath: string; loadAverageAtStart: number[]; ttft: TtftSamples; outside: TtftSamples }): void {
  const paired = (samples: number[]) => median(samples.map((value, index) => value - (meta.ttft.direct[index] ?? value)));
  const pairedOutside = (samples: number[]) => median(samples.map((value, index) => value - (meta.outside.direct[index] ?? value)));
  const find = (path: PhaseSummary['path'], scenario: Scenario) =>
    phases.find((phase) => phase.path === path && phase.concurrency === scenario.concurrency && phase.staggerMs === scenario.staggerMs);
  const rows = scenarios.map((scenario) => ({ scenario, direct: find('direct', scenario), outcrop: find('ConverseStream', scenario) }));
  const pct = (outcrop: number | undefined, direct: number | undefined) => (outcrop && direct ? `${((outcrop / direct) * 100).toFixed(0)}%` : 'n/a');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; load average at start ${meta.loadAverageAtStart.map((value) => value.toFixed(2)).join(' ')}`;
  const promptTokens = median(phases.flatMap((phase) => phase.runs.flatMap((run) => run.streams.map((stream) => stream.promptTokens))));
  const markdown = [
    '# Embedded llama.cpp: ConverseStream vs node-llama-cpp directly',
    '',
    `Model: \`${preset}\` (${meta.modelPath.split('/').at(-1)}), random weights, F16, greedy decoding; ${maxTokens} tokens per stream, ${promptTokens}-token prompts (chat template included),`,
    `${threads} llama.cpp threads, ${sequences} sequences of ${contextSize} tokens, batch size ${batchSize ?? "node-llama-cpp's default"}; median of ${runs} runs, each figure on its own; the AWS SDK client ${clientThread === 'worker' ? 'on a worker thread of its own' : "on the server's thread"}. Machine: ${machine}. Source: ${sourceRevision()}.`,
    '',
    '| Streams | Started | Path | Prompt tok/s | Generation tok/s (all streams) | Steady generation tok/s | Per stream tok/s | TTFT p50 (ms) | Wall (ms) | End-to-end tok/s |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.flatMap(({ scenario, direct, outcrop }) =>
      [direct, outcrop].map(
        (phase) =>
          `| ${scenario.concurrency} | ${arrivals(scenario)} | ${phase?.path} | ${phase?.promptTokensPerSecond.toFixed(0)} | ${phase?.generationTokensPerSecond.toFixed(1)} | ${phase?.steadyGenerationTokensPerSecond?.toFixed(1) ?? 'n/a'} | ${phase?.perStreamTokensPerSecond.toFixed(1)} | ${phase?.ttftMsMedian.toFixed(0)} | ${phase?.wallMsMedian.toFixed(0)} | ${phase?.endToEndTokensPerSecond.toFixed(1)} |`,
      ),
    ),
    '',
    '| Streams | Started | Outcrop / direct: prompt | generation | steady generation | end-to-end | TTFT overhead (ms) |',
    '|---:|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      ({ scenario, direct, outcrop }) =>
        `| ${scenario.concurrency} | ${arrivals(scenario)} | ${pct(outcrop?.promptTokensPerSecond, direct?.promptTokensPerSecond)} | ${pct(outcrop?.generationTokensPerSecond, direct?.generationTokensPerSecond)} | ${pct(outcrop?.steadyGenerationTokensPerSecond, direct?.steadyGenerationTokensPerSecond)} | ${pct(outcrop?.endToEndTokensPerSecond, direct?.endToEndTokensPerSecond)} | ${((outcrop?.ttftMsMedian ?? 0) - (direct?.ttftMsMedian ?? 0)).toFixed(1)} |`,
    ),
    '',
    `TTFT overhead: one stream alone, a one-line prompt ("${shortPrompt(0)}"), ${meta.ttft.direct.length} requests per path (2 tokens each), alternating: direct p50 ${median(meta.ttft.direct).toFixed(1)} ms;`,
    `ConverseStream through the AWS SDK p50 ${median(meta.ttft.ConverseStream).toFixed(1)} ms, overhead ${paired(meta.ttft.ConverseStream).toFixed(1)} ms (median of the paired differences; the SDK's`,
    `sending and event-stream reading included); over a bare HTTP/1.1 connection (request signed beforehand, events read by`,
    `Outcrop's frame decoder: what the server adds) p50 ${median(meta.ttft.bare).toFixed(1)} ms, overhead ${paired(meta.ttft.bare).toFixed(1)} ms.`,
    `Outside llama.cpp's decodes (each request's TTFT minus the decodes that ran and ended before its first token: the same`,
    `prompt's decode takes ${median(meta.ttft.direct.map((value, index) => value - (meta.outside.direct[index] ?? value))).toFixed(1)} ms and varies by several ms from one request to the next, more than the overhead;`,
    `bench/support/decode-trace.ts): direct p50 ${median(meta.outside.direct).toFixed(2)} ms, ConverseStream ${median(meta.outside.ConverseStream).toFixed(2)} ms (overhead ${pairedOutside(meta.outside.ConverseStream).toFixed(2)} ms),`,
    `bare HTTP ${median(meta.outside.bare).toFixed(2)} ms (overhead ${pairedOutside(meta.outside.bare).toFixed(2)} ms).`,
    '',
    'Prompt tok/s: prompt tokens of all streams over the time from the first start until the last stream saw its first token',
    '(so it includes request handling and, for ConverseStream, SigV4, HTTP/2 and event-stream framing). Generation tok/s:',
    'tokens after the first, over the window from the first first-token to the last end. Steady generation tok/s: tokens',
    'of all streams while every stream was generating (from the last first token to the first end). TTFT: from the',
    "stream's own start (the direct call; the request leaving the client, built and signed) to its first text delta. Wall: from",
    "the first start to the last stream's end.",
    'End-to-end tok/s: prompt and generated tokens of all streams over the wall time (the same work on both paths, whatever',
    'the order in which the streams got their first tokens).',
    '',
    `Started: "one tick" starts every stream at once: the direct path makes its ${sequences} calls in one tick, the client sends its`,
    `${sequences} requests in one tick. The server handles the requests one after another on its thread (a few ms each) and often`,
    "reads them in separate turns of the event loop; a llama.cpp decode in progress cannot take more work, so Outcrop starts a",
    'decode only after a loop turn in which no request set out to generate, and waits while the server is still receiving requests',
    '(src/providers/llama-cpp/decode-dispatch-schedule.ts, src/server/request-intake.ts; a lone request on an idle context, with',
    'nothing being received, starts its decode at once):',
    "the prompts that arrived together share the first decode, as the direct path's do. \"N ms apart\" starts stream k at",
    `k × N ms on both paths, so the same arrivals reach node-llama-cpp on both (${staggers.join(' and ')} ms).`,
    'Generation: Outcrop keeps the streams of a context in step (src/providers/llama-cpp/llama-step-barrier.ts), so each decode',
    "holds a token of every generating stream, and hands a decode's sequences to llama.cpp in sequence-id order",
    '(src/providers/llama-cpp/sequence-ordered-batching.ts): node-llama-cpp gives each sequence its own KV-cache stream, and',
    'llama.cpp evaluates a batch in one forward pass only when its sequence ids are consecutive and increasing. node-llama-cpp',
    'on its own (the direct path) starts the next decode as soon as one stream has queued its token, in the order the tokens',
    'were queued, so most of its decodes hold 3 tokens in an order such as 2, 0, 3, which llama.cpp evaluates in several passes.',
    `Load average at end: ${loadavg().map((value) => value.toFixed(2)).join(' ')}.`,
    '',
  ].join('\n');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'llama-latest.md'), markdown);
  writeFileSync(
    join(resultsDir, 'llama-latest.json'),
    `${JSON.stringify({ preset, modelFile: meta.modelPath.split('/').at(-1), maxTokens, threads, sequences, contextSize, batchSize: batchSize ?? null, clientThread, staggerMs: staggers, runs, machine, source: sourceRevision(), ttftMs: meta.ttft, ttftOutsideDecodesMs: meta.outside, phases: phases.map((phase) => ({ ...phase, runs: phase.runs.map((run) => ({ ...run, streams: run.streams.map(({ chunkTimes, ...stream }) => stream) })) })) }, null, 2)}\n`,
  );
  process.stdout.write(`\n${markdown}`);
}

/** How a scenario's streams were started, for the tables and the log. */
function arrivals(scenario: Scenario): string {
  if (scenario.concurrency === 1) return 'alone';
  return scenario.staggerMs > 0 ? `${scenario.staggerMs} ms apart` : 'one tick';
}

function log(message: string): void {
  process.stderr.write(`[llama bench] ${message}\n`);
}

await main();
