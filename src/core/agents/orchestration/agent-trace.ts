import type { Usage } from '../../inference/language-model.js';
import type { AgentTraceEvent } from './agent-events.js';

/** Where a turn's traces come from: the agent that ran the step, and for collaborators who called it. */
export interface TraceOrigin {
  agentId: string;
  agentVersion: string;
  collaboratorName?: string;
  callerChain?: Array<{ agentAliasArn: string }>;
}

/** A trace event for one member of Bedrock's `Trace` union. */
export function traceEvent(origin: TraceOrigin, trace: Record<string, unknown>): AgentTraceEvent {
  return {
    type: 'trace',
    trace,
    eventTime: new Date(),
    agentId: origin.agentId,
    agentVersion: origin.agentVersion,
    ...(origin.collaboratorName ? { collaboratorName: origin.collaboratorName } : {}),
    ...(origin.callerChain ? { callerChain: origin.callerChain } : {}),
  };
}

/** Bedrock's trace `Metadata`: timings of one step, with token usage where a model ran. */
export function traceMetadata(startTime: Date, usage?: Usage): Record<string, unknown> {
  const endTime = new Date();
  const totalTimeMs = endTime.getTime() - startTime.getTime();
  return {
    startTime,
    endTime,
    totalTimeMs,
    operationTotalTimeMs: totalTimeMs,
    ...(usage ? { usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } } : {}),
  };
}

/** A failure trace: why the turn could not go on. */
export function failureTrace(origin: TraceOrigin, traceId: string, reason: string, startTime: Date, failureCode?: number): AgentTraceEvent {
  return traceEvent(origin, {
    failureTrace: { traceId, failureReason: reason, ...(failureCode === undefined ? {} : { failureCode }), metadata: traceMetadata(startTime) },
  });
}
