import type { Message, Part } from '../../inference/language-model.js';
import type { AgentEvent } from './agent-events.js';
import type { AnswerStreamer } from './answer-streamer.js';
import { traceEvent, traceMetadata } from './agent-trace.js';
import { parsePostProcessingResponse } from './processing-parsers.js';
import { callPromptStep } from './prompt-step.js';
import { promptSettings } from './prompt-settings.js';
import { renderPromptTemplate } from './prompt-template.js';
import type { TurnContext, TurnState } from './turn-context.js';

/** The post-processing template used unless the agent overrides it: Bedrock's rewrite of the answer with the context of what the agent did. */
export const defaultPostProcessingTemplate = JSON.stringify({
  system: '',
  messages: [
    {
      role: 'user',
      content: [
        'You give more context to an answer written by a function calling agent. The agent takes a user\'s question and calls the functions (API calls) it has been given to act and to gather information, but the user does not see those calls, so an answer can be confusing without them.',
        'Rewrite the answer so that it makes sense on its own. Never mention the names of functions or APIs, or any other implementation detail: say "I checked our order system", not "I called the getOrder API".',
        '',
        'The user\'s input: <user_input>$question$</user_input>',
        'The agent\'s latest answer, to rewrite: <latest_response>$latest_response$</latest_response>',
        'What the agent did in this turn: <history>$responses$</history>',
        '',
        'Write the rewritten answer inside <final_response></final_response> tags.',
      ].join('\n'),
    },
  ],
});

/** Whether the agent's POST_PROCESSING prompt is ENABLED (Bedrock's default: DISABLED). */
export function postProcessingEnabled(context: TurnContext): boolean {
  return promptSettings(context.definition, 'POST_PROCESSING').enabled;
}

/**
 * Bedrock's POST_PROCESSING step, run when the agent's POST_PROCESSING prompt is ENABLED: the model
 * rewrites the orchestration's final answer from the default template or the agent's OVERRIDDEN one
 * (`$question$`, `$latest_response$`, `$responses$`: the turn's actions and their results), the
 * default parser takes the text inside `<final_response>`, and the step is traced as
 * `postProcessingTrace` with `parsedResponse.text`. Returns the rewritten answer (the original
 * when the model answers nothing). With a `streamer` (streamFinalResponse) the call runs as a
 * stream and the text inside `<final_response>` is released as chunks while the model writes it;
 * `streamed` then says the answer has already reached the client.
 *
 * @example
 * const { text } = yield* runPostProcessing(context, state, outcome.text);
 */
export async function* runPostProcessing(
  context: TurnContext,
  state: TurnState,
  answer: string,
  streamer?: AnswerStreamer,
): AsyncGenerator<AgentEvent, { text: string; streamed: boolean }> {
  const settings = promptSettings(context.definition, 'POST_PROCESSING');
  const traceId = `${context.tracePrefix}-post`;
  const messages = renderPromptTemplate(settings.template ?? defaultPostProcessingTemplate, {
    question: state.inputText,
    latest_response: answer,
    responses: turnActions(state.messages),
    instruction: context.definition.instruction,
  });
  const result = yield* callPromptStep(context, { traceMember: 'postProcessingTrace', settings, messages, traceId, ...(streamer ? { streamer } : {}) });
  if (streamer) yield* streamer.flush(state.references);
  const streamed = streamer?.released !== undefined && streamer.released !== '';
  const text = streamed ? (streamer?.released ?? '') : parsePostProcessingResponse(result.raw) || answer;
  yield traceEvent(context.origin, {
    postProcessingTrace: {
      modelInvocationOutput: { traceId, parsedResponse: { text }, rawResponse: { content: result.raw }, metadata: traceMetadata(result.started, result.usage) },
    },
  });
  return { text, streamed };
}

/** The tool calls of this turn (after its user input) and their results, one line each. */
function turnActions(messages: Message[]): string {
  let start = messages.length;
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]?.role === 'user') {
      start = index + 1;
      break;
    }
  }
  const lines: string[] = [];
  for (const message of messages.slice(start)) {
    for (const part of message.content as Part[]) {
      if (part.type === 'tool-call') lines.push(`Called ${part.toolName} with ${JSON.stringify(part.input)}`);
      if (part.type === 'tool-result') {
        const text = part.content.map((item) => (item.type === 'text' ? item.text : item.type === 'json' ? JSON.stringify(item.value) : '[image]')).join('');
        lines.push(`${part.isError ? 'Failed' : 'Result'} of ${part.toolName ?? part.toolCallId}: ${text}`);
      }
    }
  }
  return lines.join('\n');
}
