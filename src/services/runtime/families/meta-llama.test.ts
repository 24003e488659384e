import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRefused, chunksOf, familyContext, result, textParts } from '../../../../test/support/codec-harness.js';
import { metaLlama } from './meta-llama.js';

const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]).toString('base64');
const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]).toString('base64');

describe('Meta Llama body', () => {
  it('maps max_gen_len, temperature and top_p, and leaves out what the body left out', () => {
    const options = metaLlama.parseRequest({ prompt: 'Hi', max_gen_len: 64, top_p: 0.5 }, familyContext());
    assert.equal(options.maxOutputTokens, 64);
    assert.equal(options.topP, 0.5);
    assert.equal('temperature' in options, false);
  });

  it('reads each image format from its bytes and puts the images in the <|image|> turn', () => {
    const options = metaLlama.parseRequest(
      { prompt: '<|start_header_id|>user<|end_header_id|>\n\n<|image|><|image|>Compare.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nThanks<|eot_id|>', images: [jpeg, webp] },
      familyContext(),
    );
    const first = options.prompt[0]?.content ?? [];
    assert.deepEqual(
      first.map((part) => (part.type === 'image' ? part.format : part.type === 'text' ? part.text : part.type)),
      ['jpeg', 'webp', 'Compare.'],
    );
  });

  it('refuses an image it cannot recognise, and fields Llama does not have', () => {
    assertRefused(metaLlama, { prompt: 'Hi', images: [Buffer.from('not an image').toString('base64')] }, /#\/images\/0: the image is not PNG, JPEG, GIF or WebP/);
    assertRefused(metaLlama, { prompt: 'Hi', max_tokens: 10 }, /#: extraneous key \[max_tokens\] is not permitted/);
    assertRefused(metaLlama, { prompt: 'Hi', temperature: 1.5 }, /#\/temperature/);
    assertRefused(metaLlama, { prompt: '' }, /#\/prompt/);
  });

  it('answers stop_reason length when the token limit cut the answer', () => {
    assert.deepEqual(metaLlama.toResponse(result({ finishReason: 'length' }), familyContext()), {
      generation: 'Granite.',
      prompt_token_count: 11,
      generation_token_count: 3,
      stop_reason: 'length',
    });
  });

  it('streams one chunk per piece with a running count, then the counts and metrics', async () => {
    const chunks = await chunksOf(metaLlama, textParts(['Gran', 'ite.']));
    assert.deepEqual(chunks.slice(0, 2), [
      { generation: 'Gran', prompt_token_count: null, generation_token_count: 1, stop_reason: null },
      { generation: 'ite.', prompt_token_count: null, generation_token_count: 2, stop_reason: null },
    ]);
    const { 'amazon-bedrock-invocationMetrics': metrics, ...last } = chunks[2] ?? {};
    assert.deepEqual(last, { generation: '', prompt_token_count: 11, generation_token_count: 2, stop_reason: 'stop' });
    assert.deepEqual(Object.keys(metrics as object), ['inputTokenCount', 'outputTokenCount', 'invocationLatency', 'firstByteLatency']);
  });

  it('ends the stream with the backend error, and refuses a tool call it cannot carry', async () => {
    await assert.rejects(
      chunksOf(metaLlama, [
        { type: 'stream-start', warnings: [] },
        { type: 'error', error: new Error('CUDA out of memory') },
      ]),
      /CUDA out of memory/,
    );
    await assert.rejects(chunksOf(metaLlama, [{ type: 'tool-input-start', id: 'c', toolName: 'lookup' }]), /tool 'lookup'/);
    await assert.rejects(chunksOf(metaLlama, [{ type: 'stream-start', warnings: [] }]), /ended without a finish/);
  });
});
