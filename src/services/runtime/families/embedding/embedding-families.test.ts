import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EmbedOptions, EmbedResult, EmbeddingModel } from '../../../../core/inference/embedding-model.js';
import { toInt8, toPackedBits, toSignedPackedBits, toUint8 } from './convert-embedding.js';
import type { EmbeddingFamilyCodec } from './embedding-family.js';
import { embeddingFamilyCodec } from './index.js';

/** A model that answers fixed 8-dimension vectors of length 2 (not unit length), 3 tokens a text. */
function stubModel(dimensions = 8): EmbeddingModel & { calls: EmbedOptions[] } {
  const calls: EmbedOptions[] = [];
  return {
    specificationVersion: 'outcrop.v1',
    provider: 'stub',
    modelId: 'stub',
    dimensions,
    maxBatchSize: 4,
    calls,
    async embed(options: EmbedOptions): Promise<EmbedResult> {
      calls.push(options);
      return { embeddings: options.values.map(() => [1, -1, 1, -1, 0.5, -0.5, 0.5, -0.5].map((value) => value * (2 / Math.sqrt(5)))), usage: { inputTokens: 3 * options.values.length } };
    },
  };
}

async function invoke(codec: EmbeddingFamilyCodec, body: unknown, model = stubModel()): Promise<Record<string, unknown>> {
  const call = codec.parseRequest(body, { modelId: 'amazon.titan-embed-text-v2:0', model });
  return call.toResponse(await model.embed(call.options)) as Record<string, unknown>;
}

function rejectsBody(codec: EmbeddingFamilyCodec, body: unknown, message: string, model = stubModel()): void {
  assert.throws(() => codec.parseRequest(body, { modelId: 'm', model }), (error: Error) => {
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.message, message);
    return true;
  });
}

describe('Titan Text Embeddings v1', () => {
  const codec = embeddingFamilyCodec('amazon-titan-embed-v1');

  it('returns the raw vector and the token count', async () => {
    const response = await invoke(codec, { inputText: 'granite' });
    assert.deepEqual(Object.keys(response), ['embedding', 'inputTextTokenCount']);
    assert.equal((response.embedding as number[]).length, 8);
    assert.equal(response.inputTextTokenCount, 3);
  });

  it("rejects v2's fields and missing text as Bedrock does", () => {
    rejectsBody(codec, { inputText: 'granite', dimensions: 512 }, 'Malformed input request: #: extraneous key [dimensions] is not permitted, please reformat your input and try again.');
    rejectsBody(codec, {}, 'Malformed input request: #: required key [inputText] not found, please reformat your input and try again.');
    rejectsBody(codec, { inputText: 7 }, 'Malformed input request: #/inputText: expected type: String, found: Integer, please reformat your input and try again.');
  });
});

describe('Titan Text Embeddings v2', () => {
  const codec = embeddingFamilyCodec('amazon-titan-embed-v2');

  it('normalizes by default and always lists the float vector by type', async () => {
    const response = await invoke(codec, { inputText: 'granite' });
    const embedding = response.embedding as number[];
    assert.ok(Math.abs(Math.hypot(...embedding) - 1) < 1e-9);
    assert.deepEqual(response.embeddingsByType, { float: embedding });
    assert.equal(response.inputTextTokenCount, 3);
  });

  it('keeps the raw vector with normalize false, and gives binary as one bit a dimension', async () => {
    const response = await invoke(codec, { inputText: 'granite', normalize: false, embeddingTypes: ['binary'] });
    assert.ok(Math.abs(Math.hypot(...(response.embedding as number[])) - 2) < 1e-9);
    assert.deepEqual(response.embeddingsByType, { binary: [1, 0, 1, 0, 1, 0, 1, 0] });
  });

  it('accepts the native size and refuses a size the model cannot produce', async () => {
    const native = stubModel(512);
    assert.doesNotThrow(() => codec.parseRequest({ inputText: 'granite', dimensions: 512 }, { modelId: 'amazon.titan-embed-text-v2:0', model: native }));
    rejectsBody(
      codec,
      { inputText: 'granite', dimensions: 1024 },
      "The model m produces 512-dimension embeddings and cannot produce 1024; omit 'dimensions' or set it to 512.",
      native,
    );
  });

  it('checks the size after the call when the model learns it from its backend', async () => {
    const unknown = stubModel(0);
    const call = codec.parseRequest({ inputText: 'granite', dimensions: 256 }, { modelId: 'm', model: unknown });
    const result = await unknown.embed(call.options);
    assert.throws(() => call.toResponse(result), { name: 'ValidationException' });
  });

  it("answers Bedrock's validation messages", () => {
    rejectsBody(codec, { inputText: 'granite', dimensions: 100 }, 'Malformed input request: #/dimensions: 100 is not a valid enum value, please reformat your input and try again.');
    rejectsBody(codec, { inputText: 'granite', embeddingTypes: ['int8'] }, 'Malformed input request: #/embeddingTypes/0: int8 is not a valid enum value, please reformat your input and try again.');
    rejectsBody(codec, { inputText: '' }, 'Malformed input request: #/inputText: expected minLength: 1, actual: 0, please reformat your input and try again.');
    rejectsBody(codec, { inputText: 'x', normalize: 'yes' }, 'Malformed input request: #/normalize: expected type: Boolean, found: String, please reformat your input and try again.');
  });
});

describe('Cohere Embed', () => {
  const codec = embeddingFamilyCodec('cohere-embed');

  it('returns floats with an id and the texts, and passes the input type as purpose', async () => {
    const model = stubModel();
    const response = await invoke(codec, { texts: ['granite', 'basalt'], input_type: 'search_query' }, model);
    assert.equal(response.response_type, 'embeddings_floats');
    assert.equal((response.embeddings as number[][]).length, 2);
    assert.deepEqual(response.texts, ['granite', 'basalt']);
    assert.match(String(response.id), /^[0-9a-f-]{36}$/);
    assert.equal(model.calls[0]?.purpose, 'query');
  });

  it('returns each requested type under embeddings_by_type', async () => {
    const response = await invoke(codec, { texts: ['granite'], input_type: 'search_document', embedding_types: ['int8', 'ubinary', 'binary', 'uint8'] });
    assert.equal(response.response_type, 'embeddings_by_type');
    const embeddings = response.embeddings as Record<string, number[][]>;
    assert.deepEqual(Object.keys(embeddings).sort(), ['binary', 'int8', 'ubinary', 'uint8']);
    assert.deepEqual(embeddings.int8, [[127, -127, 127, -127, 64, -64, 64, -64]]);
    assert.deepEqual(embeddings.ubinary, [[0b10101010]]);
    assert.deepEqual(embeddings.binary, [[0b10101010 - 128]]);
  });

  it("answers Bedrock's limits and refuses images", () => {
    rejectsBody(codec, { texts: ['a'] }, 'Malformed input request: #: required key [input_type] not found, please reformat your input and try again.');
    rejectsBody(
      codec,
      { texts: Array.from({ length: 97 }, () => 'a'), input_type: 'clustering' },
      'Malformed input request: #/texts: expected maximum item count: 96, found: 97, please reformat your input and try again.',
    );
    rejectsBody(
      codec,
      { texts: ['a'.repeat(2049)], input_type: 'clustering' },
      'Malformed input request: #/texts/0: expected maxLength: 2048, actual: 2049, please reformat your input and try again.',
    );
    rejectsBody(codec, { texts: ['a'], input_type: 'search', truncate: 'NONE' }, 'Malformed input request: #/input_type: search is not a valid enum value, please reformat your input and try again.');
    rejectsBody(codec, { texts: [], images: ['data:image/png;base64,AAAA'], input_type: 'image' }, 'The model m does not support image input; send texts.');
  });
});

describe('embedding codec registry', () => {
  it('refuses text families for embedding models', () => {
    assert.throws(() => embeddingFamilyCodec('anthropic'), (error: Error) => error.name === 'ValidationException' && /amazon-titan-embed-v2, cohere-embed/.test(error.message));
  });
});

describe('vector conversions', () => {
  it('quantizes and packs as Cohere documents', () => {
    const vector = [0.5, -0.25, 0, 0.1, -0.5, 0.3, 0.2, -0.1, 0.4];
    assert.deepEqual(toInt8(vector), [127, -64, 0, 25, -127, 76, 51, -25, 102]);
    assert.deepEqual(toUint8(vector), [255, 64, 128, 153, 1, 204, 179, 103, 230]);
    assert.deepEqual(toPackedBits(vector), [0b10010110, 0b10000000]);
    assert.deepEqual(toSignedPackedBits(vector), [0b10010110 - 128, 0]);
  });
});
