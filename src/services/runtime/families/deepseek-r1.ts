import { z } from 'zod';
import type { FinishReason } from '../../../core/inference/language-model.js';
import { callOptions } from './call-options.js';
import type { FamilyCodec } from './family.js';
import { parseFamilyBody } from './malformed-body.js';
import { parseDeepSeekPrompt } from './parse-prompt-template.js';
import { resultText, textChunks, thinkTags } from './text-family.js';

/** DeepSeek-R1 text completion: a templated `prompt`; the answer carries its reasoning in `<think>` tags. */
export const deepSeekRequestSchema = z
  .object({
    prompt: z.string().min(1),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    max_tokens: z.number().int().min(1).max(32768).optional(),
    stop: z.array(z.string()).max(10).optional(),
  })
  .strict();

function deepSeekStopReason(reason: FinishReason): 'stop' | 'length' {
  return reason === 'length' ? 'length' : 'stop';
}

/** DeepSeek-R1 bodies: the R1 template becomes turns; answers are `choices[0].text`, reasoning in `<think>` tags. */
export const deepSeekR1: FamilyCodec = {
  family: 'deepseek',

  parseRequest(body, context) {
    const request = parseFamilyBody(deepSeekRequestSchema, body);
    return callOptions(parseDeepSeekPrompt(request.prompt), context, {
      maxOutputTokens: request.max_tokens,
      temperature: request.temperature,
      topP: request.top_p,
      stopSequences: request.stop,
    });
  },

  toResponse(result) {
    return { choices: [{ text: resultText(result, thinkTags), stop_reason: deepSeekStopReason(result.finishReason) }] };
  },

  toChunks(stream, context) {
    return textChunks(
      stream,
      context,
      'DeepSeek',
      {
        delta: (text) => ({ choices: [{ text, stop_reason: null }] }),
        last: ({ finishReason }) => ({ choices: [{ text: '', stop_reason: deepSeekStopReason(finishReason) }] }),
      },
      thinkTags,
    );
  },
};
