import type { AgentCollaboratorDefinition } from '../agent-definition.js';
import type { AgentEvent } from './agent-events.js';
import { traceEvent, traceMetadata } from './agent-trace.js';
import type { TurnContext } from './turn-context.js';

const undecided = 'undecidable';

/**
 * SUPERVISOR_ROUTER: one classification call picks the collaborator best placed to answer the
 * request on its own, traced as Bedrock's `routingClassifierTrace`. Returns undefined when the
 * model names none, so the supervisor orchestrates instead.
 *
 * @example
 * const chosen = yield* classifyRoute(context, inputText, history);
 */
export async function* classifyRoute(context: TurnContext, inputText: string, historyText: string): AsyncGenerator<AgentEvent, AgentCollaboratorDefinition | undefined> {
  const collaborators = context.definition.collaborators;
  const traceId = `${context.tracePrefix}-r`;
  const system = [
    'You are a router. Choose the one agent best placed to handle the user\'s latest request on its own.',
    'Agents:',
    ...collaborators.map((collaborator) => `- ${collaborator.collaboratorName}: ${collaborator.collaboratorInstruction}`),
    `Answer with the agent's name only, exactly as written above, or "${undecided}" when no single agent fits.`,
  ].join('\n');
  const user = historyText ? `Conversation so far:\n${historyText}\n\nLatest request: ${inputText}` : inputText;
  yield traceEvent(context.origin, {
    routingClassifierTrace: {
      modelInvocationInput: { traceId, type: 'ROUTING_CLASSIFIER', foundationModel: context.definition.foundationModel, text: JSON.stringify({ system, messages: [{ role: 'user', content: user }] }), promptCreationMode: 'DEFAULT', parserMode: 'DEFAULT' },
    },
  });
  const started = new Date();
  const result = await context.model.generate({
    prompt: [
      { role: 'system', content: [{ type: 'text', text: system }] },
      { role: 'user', content: [{ type: 'text', text: user }] },
    ],
    maxOutputTokens: 64,
    temperature: 0,
    abortSignal: context.signal,
  });
  const answer = result.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('')
    .trim();
  yield traceEvent(context.origin, {
    routingClassifierTrace: { modelInvocationOutput: { traceId, rawResponse: { content: answer }, metadata: traceMetadata(started, result.usage) } },
  });
  const normalized = answer.toLowerCase().replace(/[^a-z0-9_-]/g, '');
  return (
    collaborators.find((collaborator) => collaborator.collaboratorName.toLowerCase() === normalized) ??
    collaborators.find((collaborator) => answer.toLowerCase().includes(collaborator.collaboratorName.toLowerCase()))
  );
}
