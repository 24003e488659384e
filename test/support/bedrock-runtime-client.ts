import assert from 'node:assert/strict';
import { BedrockRuntimeClient, type ConverseStreamOutput, type StopReason, type TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import { testCredentials } from './test-server.js';

/** The default bedrock-runtime client (HTTP/2, SigV4) against a test server, without retries. */
export function runtimeClient(url: string): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey },
    maxAttempts: 1,
  });
}

/** Every event of a ConverseStream response. */
export async function converseEvents(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<ConverseStreamOutput[]> {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  return events;
}

/** Asserts that an SDK call fails with this error name, and returns the error. */
export async function rejectsWithName(promise: Promise<unknown>, name: string): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(failure.name, name, `expected ${name}, got ${failure.name}: ${failure.message}`);
    return failure;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

/** A ConverseStream's events with the latency (which varies) left out of `metadata`. */
export function withoutLatency(events: ConverseStreamOutput[]): unknown[] {
  return events.map((event) => (event.metadata ? { metadata: { usage: event.metadata.usage } } : event));
}

/**
 * The ConverseStream events of a text-only answer, as `withoutLatency` leaves them: one text block
 * streamed in these deltas, then the stop reason and the usage.
 *
 * @example
 * assert.deepEqual(withoutLatency(events), textStreamEvents(['Granite', ' is igneous.'], 'end_turn', { inputTokens: 5, outputTokens: 4, totalTokens: 9 }));
 */
export function textStreamEvents(deltas: string[], stopReason: StopReason, usage: TokenUsage): unknown[] {
  return [
    { messageStart: { role: 'assistant' } },
    ...deltas.map((text) => ({ contentBlockDelta: { contentBlockIndex: 0, delta: { text } } })),
    { contentBlockStop: { contentBlockIndex: 0 } },
    { messageStop: { stopReason } },
    { metadata: { usage } },
  ];
}
