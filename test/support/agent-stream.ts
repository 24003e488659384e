import type { InlineAgentResponseStream, ResponseStream } from '@aws-sdk/client-bedrock-agent-runtime';

/** What an InvokeAgent or InvokeInlineAgent completion stream carried, event by event. */
export interface AgentStreamParts {
  /** the chunks' text, joined */
  text: string;
  /** each chunk's text, in order */
  chunks: string[];
  traces: Array<Record<string, unknown>>;
  citations: Array<{ generatedResponsePart?: unknown; retrievedReferences?: Array<Record<string, unknown>> }>;
  files: Array<{ name?: string; type?: string; bytes?: Uint8Array }>;
  returnControl?: { invocationId?: string; invocationInputs?: Array<Record<string, unknown>> };
}

/**
 * Reads an agent's completion stream to its end: chunk text (each chunk also passed to `onChunk` as
 * it arrives), citations, traces, files and a returnControl event. An exception event rejects.
 *
 * @example
 * const response = await runtime.send(new InvokeInlineAgentCommand(input));
 * const { text, traces } = await collectAgentStream(response.completion);
 */
export async function collectAgentStream(
  stream: AsyncIterable<InlineAgentResponseStream | ResponseStream> | undefined,
  onChunk?: (text: string) => void,
): Promise<AgentStreamParts> {
  const out: AgentStreamParts = { text: '', chunks: [], traces: [], citations: [], files: [] };
  for await (const event of stream ?? []) {
    if (event.chunk) {
      const text = new TextDecoder().decode(event.chunk.bytes);
      out.chunks.push(text);
      out.text += text;
      out.citations.push(...((event.chunk.attribution?.citations ?? []) as AgentStreamParts['citations']));
      onChunk?.(text);
    }
    if (event.trace) out.traces.push(event.trace as Record<string, unknown>);
    if (event.returnControl) out.returnControl = event.returnControl as AgentStreamParts['returnControl'];
    if (event.files) out.files.push(...(event.files.files ?? []));
  }
  return out;
}

/**
 * One member (`rationale`, `invocationInput`, `observation` ...) of every orchestration trace, in order.
 *
 * @example
 * const [observation] = orchestration(parts.traces, 'observation');
 */
export function orchestration(traces: Array<Record<string, unknown>>, member: string): Array<Record<string, unknown>> {
  return traces
    .map((trace) => (trace.trace as { orchestrationTrace?: Record<string, Record<string, unknown>> }).orchestrationTrace?.[member])
    .filter((value): value is Record<string, unknown> => value !== undefined);
}
