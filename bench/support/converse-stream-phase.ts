import { type BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';

/**
 * Concurrent ConverseStream requests through the AWS SDK, for benchmarks that compare Outcrop with a
 * library called in-process. Each request is built, serialized and signed by the SDK first, then held
 * just before the SDK hands it to its HTTP handler, and let go at its start time: "started together"
 * means the requests leave the client in one tick, and each stream's clock starts when its request
 * leaves (the SDK's own request building is the application's cost, as it would be against Bedrock).
 *
 * @example
 * const phase = await runConverseStreamPhase(client, [{ modelId: 'm', prompt: 'hi', maxTokens: 8, delayMs: 0 }]);
 */
export interface PhaseStreamRequest {
  modelId: string;
  prompt: string;
  maxTokens: number;
  /** ms after the phase's start at which this request leaves the client (0: with the first) */
  delayMs: number;
}

export interface PhaseStreamSample {
  promptTokens: number;
  outputTokens: number;
  /** from the request leaving the client to the first text delta */
  ttftMs: number;
  /** from the first text delta to the end of the stream */
  generationMs: number;
  /** when each text delta arrived (performance.now()) */
  chunkTimes: number[];
  startedAt: number;
  endedAt: number;
}

export interface PhaseResult {
  /** when the first request left the client */
  startedAt: number;
  wallMs: number;
  streams: PhaseStreamSample[];
}

export async function runConverseStreamPhase(client: BedrockRuntimeClient, requests: PhaseStreamRequest[]): Promise<PhaseResult> {
  const held: (() => void)[] = [];
  let allHeld: () => void = () => {};
  const everyoneHeld = new Promise<void>((resolve) => {
    allHeld = resolve;
  });
  let phaseStart = 0;
  const released = everyoneHeld.then(() => {
    phaseStart = performance.now();
    // (requests differ only in their prompts: whichever reached the gate k-th leaves at the k-th time; each sample keeps its own start)
    requests.forEach((request, index) => {
      const go = held[index];
      if (!go) return;
      if (request.delayMs > 0) setTimeout(go, request.delayMs);
      else go();
    });
  });
  const streams = requests.map(async (request): Promise<PhaseStreamSample> => {
    const command = new ConverseStreamCommand({
      modelId: request.modelId,
      messages: [{ role: 'user', content: [{ text: request.prompt }] }],
      inferenceConfig: { maxTokens: request.maxTokens, temperature: 0 },
    });
    let startedAt = 0;
    // after serialization and signing, before the HTTP handler
    command.middlewareStack.add(
      (next) => async (args) => {
        await new Promise<void>((release) => {
          held.push(release);
          if (held.length === requests.length) allHeld();
        });
        startedAt = performance.now();
        return next(args);
      },
      { step: 'deserialize', name: 'benchStartGate', priority: 'low' },
    );
    const response = await client.send(command);
    const chunkTimes: number[] = [];
    let usage = { inputTokens: 0, outputTokens: 0 };
    for await (const event of response.stream ?? []) {
      if (event.contentBlockDelta) chunkTimes.push(performance.now());
      if (event.metadata?.usage) usage = { inputTokens: event.metadata.usage.inputTokens ?? 0, outputTokens: event.metadata.usage.outputTokens ?? 0 };
    }
    const endedAt = performance.now();
    const first = chunkTimes[0] ?? endedAt;
    return { promptTokens: usage.inputTokens, outputTokens: usage.outputTokens, ttftMs: first - startedAt, generationMs: endedAt - first, chunkTimes, startedAt, endedAt };
  });
  const samples = await Promise.all(streams);
  await released;
  return { startedAt: phaseStart, wallMs: Math.max(...samples.map((sample) => sample.endedAt)) - phaseStart, streams: samples };
}
