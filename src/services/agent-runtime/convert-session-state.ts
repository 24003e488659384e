import type { AgentSessionStateInput } from '../../core/agents/orchestration/agent-runtime.js';
import { OutcropError } from '../../core/errors.js';
import type { Message } from '../../core/inference/language-model.js';
import type { InlineSessionState, SessionState } from '../../protocol/generated/bedrock-agent-runtime-types.js';

/**
 * Bedrock's `SessionState` / `InlineSessionState` as the runtime reads it: conversation history as
 * neutral text messages, byte-content files for the code interpreter (S3 file sources are refused
 * with a message naming the file).
 */
export function convertSessionState(state: SessionState | InlineSessionState | undefined): AgentSessionStateInput | undefined {
  if (!state) return undefined;
  const out: AgentSessionStateInput = {};
  if (state.sessionAttributes) out.sessionAttributes = state.sessionAttributes;
  if (state.promptSessionAttributes) out.promptSessionAttributes = state.promptSessionAttributes;
  if (state.invocationId) out.invocationId = state.invocationId;
  if (state.returnControlInvocationResults) out.returnControlInvocationResults = state.returnControlInvocationResults as unknown as Array<Record<string, unknown>>;
  if (state.conversationHistory?.messages) out.conversationHistory = state.conversationHistory.messages.map(toMessage);
  if (state.files?.length) {
    out.files = state.files.map((file) => {
      const bytes = file.source.byteContent;
      if (file.source.sourceType !== 'BYTE_CONTENT' || !bytes) {
        throw new OutcropError('ValidationException', `The file ${file.name} uses an S3 source, which this server does not read; send it as BYTE_CONTENT.`);
      }
      return { name: file.name, mediaType: bytes.mediaType, data: bytes.data as unknown as Uint8Array };
    });
  }
  if ('knowledgeBaseConfigurations' in state && state.knowledgeBaseConfigurations) {
    out.knowledgeBaseConfigurations = state.knowledgeBaseConfigurations.map((entry) => ({
      knowledgeBaseId: entry.knowledgeBaseId,
      retrievalConfiguration: entry.retrievalConfiguration as unknown as Record<string, unknown>,
    }));
  }
  return out;
}

function toMessage(message: { role: string; content: Array<{ text?: string } | Record<string, unknown>> }): Message {
  const text = message.content.map((block) => (typeof (block as { text?: unknown }).text === 'string' ? (block as { text: string }).text : '')).join('');
  return { role: message.role === 'assistant' ? 'assistant' : 'user', content: [{ type: 'text', text }] };
}
