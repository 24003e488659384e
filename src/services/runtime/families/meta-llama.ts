import { z } from 'zod';
import type { FinishReason, ImageFormat, Message, Part } from '../../../core/inference/language-model.js';
import { callOptions } from './call-options.js';
import type { FamilyCodec } from './family.js';
import { parseFamilyBody, unsupportedField } from './malformed-body.js';
import { parseLlamaPrompt } from './parse-prompt-template.js';
import { resultText, textChunks } from './text-family.js';

/** Meta Llama on Bedrock: a raw, templated `prompt`; Llama 3.2 vision adds base64 `images`. */
export const llamaRequestSchema = z
  .object({
    prompt: z.string().min(1),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    max_gen_len: z.number().int().min(1).optional(),
    images: z.array(z.string()).optional(),
  })
  .strict();

function llamaStopReason(reason: FinishReason): 'stop' | 'length' {
  return reason === 'length' ? 'length' : 'stop';
}

const signatures: [ImageFormat, (bytes: Buffer) => boolean][] = [
  ['png', (bytes) => bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))],
  ['jpeg', (bytes) => bytes[0] === 0xff && bytes[1] === 0xd8],
  ['gif', (bytes) => bytes.subarray(0, 4).toString('latin1') === 'GIF8'],
  ['webp', (bytes) => bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP'],
];

/** Llama's `images` carry no format, so it is read from the image's own header bytes. */
function imagePart(base64: string, index: number): Part {
  const data = Buffer.from(base64, 'base64');
  const format = signatures.find(([, matches]) => matches(data))?.[0];
  if (!format) throw unsupportedField(['images', index], 'the image is not PNG, JPEG, GIF or WebP');
  return { type: 'image', format, data };
}

/** Images go to the user turn that holds `<|image|>` (or the last user turn), in order. */
function attachImages(prompt: Message[], images: string[]): void {
  const users = prompt.filter((message) => message.role === 'user');
  const target = users.find((message) => message.content.some((part) => part.type === 'text' && part.text.includes('<|image|>'))) ?? users.at(-1);
  if (!target) throw unsupportedField(['images'], 'images need a user turn in the prompt');
  const content: Part[] = images.map(imagePart);
  for (const part of target.content) {
    if (part.type !== 'text') content.push(part);
    else if (part.text.replaceAll('<|image|>', '').trim()) content.push({ type: 'text', text: part.text.replaceAll('<|image|>', '').trim() });
  }
  target.content = content;
}

/** Llama bodies: the templated prompt becomes role-tagged turns; answers are `generation` with token counts. */
export const metaLlama: FamilyCodec = {
  family: 'meta',

  parseRequest(body, context) {
    const request = parseFamilyBody(llamaRequestSchema, body);
    const prompt = parseLlamaPrompt(request.prompt);
    if (request.images?.length) attachImages(prompt, request.images);
    return callOptions(prompt, context, { maxOutputTokens: request.max_gen_len, temperature: request.temperature, topP: request.top_p });
  },

  toResponse(result) {
    return {
      generation: resultText(result, null),
      prompt_token_count: result.usage.inputTokens,
      generation_token_count: result.usage.outputTokens,
      stop_reason: llamaStopReason(result.finishReason),
    };
  },

  toChunks(stream, context) {
    return textChunks(
      stream,
      context,
      'Meta Llama',
      {
        delta: (text, count) => ({ generation: text, prompt_token_count: null, generation_token_count: count, stop_reason: null }),
        last: ({ finishReason, usage }) => ({
          generation: '',
          prompt_token_count: usage.inputTokens,
          generation_token_count: usage.outputTokens,
          stop_reason: llamaStopReason(finishReason),
        }),
      },
      null,
    );
  },
};
