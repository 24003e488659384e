/**
 * What an agent turn emits, in the order the client sees it. Trace bodies and return-control
 * payloads are already in Bedrock's shapes (`Trace` and `ReturnControlPayload` members), as the
 * agent definition is; the service edge only wraps them into event-stream union members.
 */
export type AgentEvent = AgentChunkEvent | AgentTraceEvent | AgentReturnControlEvent | AgentFilesEvent;

/** Part of the final answer (Bedrock's `chunk`), with citations when knowledge bases were used. */
export interface AgentChunkEvent {
  type: 'chunk';
  text: string;
  citations?: AgentCitation[];
}

/** One step of the agent's reasoning (Bedrock's `trace`); only sent with `enableTrace`. */
export interface AgentTraceEvent {
  type: 'trace';
  /** one member of Bedrock's `Trace` union, e.g. `{ orchestrationTrace: { rationale: {...} } }` */
  trace: Record<string, unknown>;
  eventTime: Date;
  /** the collaborator that produced it, for multi-agent collaboration */
  collaboratorName?: string;
  /** `[{ agentAliasArn }]`, outermost caller first */
  callerChain?: Array<{ agentAliasArn: string }>;
  /** the agent this step ran in (collaborators have their own) */
  agentId: string;
  agentVersion: string;
}

/** The application must run these actions and call back with `returnControlInvocationResults`. */
export interface AgentReturnControlEvent {
  type: 'return-control';
  invocationId: string;
  /** Bedrock's `InvocationInputMember` values (`{ functionInvocationInput }` / `{ apiInvocationInput }`) */
  invocationInputs: Array<Record<string, unknown>>;
}

/** Files the code interpreter produced. */
export interface AgentFilesEvent {
  type: 'files';
  files: AgentOutputFile[];
}

export interface AgentOutputFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** Bedrock's `Citation`: the span of the answer and the references that support it. */
export interface AgentCitation {
  generatedResponsePart: { textResponsePart: { text: string; span: { start: number; end: number } } };
  retrievedReferences: RetrievedReference[];
}

/** Bedrock's `RetrievedReference` (content, location, metadata), wire form. */
export interface RetrievedReference {
  content: { text: string; type?: 'TEXT' };
  location?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}
