import { OutcropError } from '../../../core/errors.js';
import { ai21Jamba } from './ai21-jamba.js';
import { amazonNova } from './amazon-nova.js';
import { amazonTitanText } from './amazon-titan-text.js';
import { anthropicMessages } from './anthropic-messages.js';
import { cohereCommandR } from './cohere-command-r.js';
import { deepSeekR1 } from './deepseek-r1.js';
import type { FamilyCodec } from './family.js';
import { metaLlama } from './meta-llama.js';
import { mistralChat } from './mistral-chat.js';
import { mistralText } from './mistral-text.js';
import { openAIChat } from './openai-chat.js';

/** Text-generation body codecs, keyed by the family names `familyOfId` gives (core/models/catalog.ts). */
const codecs = new Map<string, FamilyCodec>(
  [anthropicMessages, amazonNova, amazonTitanText, metaLlama, mistralText, mistralChat, cohereCommandR, ai21Jamba, deepSeekR1, openAIChat].map((codec) => [codec.family, codec]),
);

/** The native body codec of a model family, chosen by the model's declared family. */
export function familyCodec(family: string): FamilyCodec {
  const codec = codecs.get(family);
  if (!codec) {
    throw new OutcropError(
      'ValidationException',
      `InvokeModel bodies of the '${family}' model family are not supported yet; use Converse, or declare the model's family as one of: ${[...codecs.keys()].join(', ')}.`,
    );
  }
  return codec;
}
