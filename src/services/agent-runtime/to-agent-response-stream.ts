import type { AgentEvent } from '../../core/agents/orchestration/agent-events.js';

export interface AgentStreamOptions {
  enableTrace: boolean;
  sessionId: string;
  /** InvokeAgent traces name the alias and version; inline agents' traces do not */
  agentAliasId?: string;
}

/**
 * Agent events as members of Bedrock's `ResponseStream` / `InlineAgentResponseStream` union:
 * `chunk` (bytes and citations), `trace` (only with enableTrace), `returnControl` and `files`.
 */
export async function* toAgentResponseStream(events: AsyncIterable<AgentEvent>, options: AgentStreamOptions): AsyncGenerator<Record<string, unknown>> {
  for await (const event of events) {
    switch (event.type) {
      case 'chunk':
        yield { chunk: { bytes: Buffer.from(event.text, 'utf8'), ...(event.citations ? { attribution: { citations: event.citations } } : {}) } };
        break;
      case 'trace':
        if (!options.enableTrace) break;
        yield {
          trace: {
            ...(options.agentAliasId ? { agentId: event.agentId, agentAliasId: options.agentAliasId, agentVersion: event.agentVersion } : {}),
            sessionId: options.sessionId,
            eventTime: event.eventTime,
            ...(event.collaboratorName ? { collaboratorName: event.collaboratorName } : {}),
            ...(event.callerChain ? { callerChain: event.callerChain } : {}),
            trace: event.trace,
          },
        };
        break;
      case 'return-control':
        yield { returnControl: { invocationId: event.invocationId, invocationInputs: event.invocationInputs } };
        break;
      case 'files':
        yield { files: { files: event.files.map((file) => ({ name: file.name, type: file.type, bytes: file.bytes })) } };
        break;
    }
  }
}
