import { z } from 'zod';
import type { FinishReason } from '../../../core/inference/language-model.js';
import { callOptions } from './call-options.js';
import type { FamilyCodec } from './family.js';
import { parseFamilyBody } from './malformed-body.js';
import { parseInstPrompt } from './parse-prompt-template.js';
import { resultText, textChunks } from './text-family.js';

/** Mistral AI text completion (Mistral 7B, Mixtral, Mistral Large/Small 2402): an `[INST]` prompt. */
export const mistralTextRequestSchema = z
  .object({
    prompt: z.string().min(1),
    max_tokens: z.number().int().min(1).optional(),
    stop: z.array(z.string()).max(10).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(1).max(200).optional(),
  })
  .strict();

function mistralStopReason(reason: FinishReason): 'stop' | 'length' {
  return reason === 'length' ? 'length' : 'stop';
}

/** Mistral text-completion bodies: the `[INST]` prompt becomes turns; answers are `outputs[0]`. */
export const mistralText: FamilyCodec = {
  family: 'mistral',

  parseRequest(body, context) {
    const request = parseFamilyBody(mistralTextRequestSchema, body);
    return callOptions(parseInstPrompt(request.prompt), context, {
      maxOutputTokens: request.max_tokens,
      temperature: request.temperature,
      topP: request.top_p,
      topK: request.top_k,
      stopSequences: request.stop,
    });
  },

  toResponse(result) {
    return { outputs: [{ text: resultText(result, null), stop_reason: mistralStopReason(result.finishReason) }] };
  },

  toChunks(stream, context) {
    return textChunks(
      stream,
      context,
      'Mistral text completion',
      {
        delta: (text) => ({ outputs: [{ text, stop_reason: null }] }),
        last: ({ finishReason }) => ({ outputs: [{ text: '', stop_reason: mistralStopReason(finishReason) }] }),
      },
      null,
    );
  },
};
