import { OutcropError } from '../../../core/errors.js';
import { anthropicMessages } from './anthropic-messages.js';
import type { FamilyCodec } from './family.js';

const codecs = new Map<string, FamilyCodec>([[anthropicMessages.family, anthropicMessages]]);

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
