import { OutcropError } from '../../../../core/errors.js';
import { cohereEmbed } from './cohere-embed.js';
import type { EmbeddingFamilyCodec } from './embedding-family.js';
import { titanEmbedTextV1 } from './titan-embed-text-v1.js';
import { titanEmbedTextV2 } from './titan-embed-text-v2.js';

const codecs = new Map<string, EmbeddingFamilyCodec>([titanEmbedTextV1, titanEmbedTextV2, cohereEmbed].map((codec) => [codec.family, codec]));

/** The native embedding body codec of a family (`amazon-titan-embed-v2`, `cohere-embed`, ...). */
export function embeddingFamilyCodec(family: string): EmbeddingFamilyCodec {
  const codec = codecs.get(family);
  if (!codec) {
    throw new OutcropError(
      'ValidationException',
      `InvokeModel bodies of the '${family}' family do not apply to embedding models; call the model through one of its embedding IDs, or declare its family as one of: ${[...codecs.keys()].join(', ')}.`,
    );
  }
  return codec;
}
