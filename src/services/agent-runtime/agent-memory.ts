import { OutcropError } from '../../core/errors.js';
import type { DeleteAgentMemoryRequest, GetAgentMemoryRequest } from '../../protocol/generated/bedrock-agent-runtime-types.js';
import type { HandlerContext } from '../handler.js';
import { agentRuntimeOf } from './agent-runtime-of.js';
import { resolveAlias } from './invoke-agent.js';

/** GetAgentMemory: the session summaries of one memoryId, newest first, paginated. */
export async function getAgentMemory(input: GetAgentMemoryRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const runtime = agentRuntimeOf(context, 'GetAgentMemory');
  await resolveAlias(context, input.agentId, input.agentAliasId);
  const records = await runtime.memory.list(input.agentId, input.memoryId, new Date());
  let start = 0;
  if (input.nextToken !== undefined) {
    start = Number(Buffer.from(input.nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > records.length) throw new OutcropError('ValidationException', 'The nextToken is not valid.');
  }
  const size = input.maxItems ?? 100;
  const page = records.slice(start, start + size);
  return {
    memoryContents: page.map((record) => ({
      sessionSummary: {
        memoryId: record.memoryId,
        sessionId: record.sessionId,
        sessionStartTime: record.sessionStartTime,
        sessionExpiryTime: record.sessionExpiryTime,
        summaryText: record.summaryText,
      },
    })),
    ...(start + size < records.length ? { nextToken: Buffer.from(String(start + size)).toString('base64url') } : {}),
  };
}

/** DeleteAgentMemory: forgets a memoryId (one of its sessions with sessionId), or all of the agent's memory. */
export async function deleteAgentMemory(input: DeleteAgentMemoryRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const runtime = agentRuntimeOf(context, 'DeleteAgentMemory');
  await resolveAlias(context, input.agentId, input.agentAliasId);
  await runtime.memory.delete(input.agentId, {
    ...(input.memoryId ? { memoryId: input.memoryId } : {}),
    ...(input.sessionId ? { sessionId: input.sessionId } : {}),
  });
  return {};
}
