import { z } from 'zod';
import type { FinishReason } from '../../../core/inference/language-model.js';
import { callOptions } from './call-options.js';
import type { FamilyCodec } from './family.js';
import { parseFamilyBody } from './malformed-body.js';
import { resultText, textChunks } from './text-family.js';

/** Amazon Titan Text (Lite, Express, Premier): `inputText` and an optional `textGenerationConfig`. */
export const titanTextRequestSchema = z
  .object({
    inputText: z.string().min(1),
    textGenerationConfig: z
      .object({
        temperature: z.number().min(0).max(1).optional(),
        topP: z.number().min(0).max(1).optional(),
        maxTokenCount: z.number().int().min(0).optional(),
        stopSequences: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const completionReasons: Record<FinishReason, string> = {
  stop: 'FINISH',
  'stop-sequence': 'STOP_CRITERIA_MET',
  length: 'LENGTH',
  'content-filter': 'CONTENT_FILTERED',
  'tool-calls': 'FINISH',
  error: 'FINISH',
  other: 'FINISH',
};

/** Titan Text bodies: `inputText` is the user turn; answers are `results[0]` with Titan's completion reasons. */
export const amazonTitanText: FamilyCodec = {
  family: 'amazon-titan-text',

  parseRequest(body, context) {
    const request = parseFamilyBody(titanTextRequestSchema, body);
    const config = request.textGenerationConfig ?? {};
    return callOptions([{ role: 'user', content: [{ type: 'text', text: request.inputText }] }], context, {
      maxOutputTokens: config.maxTokenCount,
      temperature: config.temperature,
      topP: config.topP,
      stopSequences: config.stopSequences,
    });
  },

  toResponse(result) {
    return {
      inputTextTokenCount: result.usage.inputTokens,
      results: [{ tokenCount: result.usage.outputTokens, outputText: resultText(result, null), completionReason: completionReasons[result.finishReason] }],
    };
  },

  toChunks(stream, context) {
    return textChunks(
      stream,
      context,
      'Amazon Titan Text',
      {
        delta: (text) => ({ outputText: text, index: 0, totalOutputTextTokenCount: null, completionReason: null, inputTextTokenCount: null }),
        last: ({ finishReason, usage }) => ({
          outputText: '',
          index: 0,
          totalOutputTextTokenCount: usage.outputTokens,
          completionReason: completionReasons[finishReason],
          inputTextTokenCount: usage.inputTokens,
        }),
      },
      null,
    );
  },
};
