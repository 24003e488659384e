/**
 * Generates GGUF model files with random weights in the exact tensor names, shapes and metadata keys
 * of real architectures, with a real tokenizer vocabulary and chat template, so llama.cpp loads them
 * and generates tokens (meaningless text, by design). Used by the llama-cpp provider's tests and the
 * llama benchmark; files are cached by a hash of their specification.
 *
 * Presets:
 * - `llama`: SmolLM2-135M's shapes (n_embd 576, 9 heads, 3 KV heads, ff 1536, tied embeddings,
 *   SmolLM2's ChatML template) with 4 layers and a 4,096-token vocabulary
 * - `smollm2-135m`: the same with SmolLM2-135M's full 30 layers and 49,152 tokens (benchmarks)
 * - `qwen2`: a tiny Qwen2 (attention biases, untied output, Qwen2's ChatML template)
 * - `bert`: a tiny BERT sentence-embedding model (WordPiece vocabulary, mean pooling)
 * - `bert-reranker`: the same with a classification head and rank pooling (bge-reranker's layout)
 *
 * Usage: `tsx scripts/make-test-gguf.ts [preset ...]` prints the paths. The cache directory is
 * `OUTCROP_TEST_MODELS_DIR` or `node_modules/.cache/outcrop-test-models/`.
 *
 * @example
 * const path = makeTestGguf('llama');
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GgufTensor, type GgufValue, array, bool, float32, string, uint32, writeGguf } from './gguf/write-gguf.js';
import { buildBpeVocabulary, buildWordPieceVocabulary } from './gguf/test-vocabulary.js';


const smolLmTemplate =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";
const qwen2Template =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

interface DecoderSpec {
  architecture: 'llama' | 'qwen2';
  name: string;
  layers: number;
  embedding: number;
  heads: number;
  kvHeads: number;
  feedForward: number;
  vocabulary: number;
  contextLength: number;
  ropeBase: number;
  attentionBias: boolean;
  tiedEmbeddings: boolean;
  template: string;
  pre: string;
  special: string[];
  specialFirst: boolean;
  bos: string;
  eos: string;
  addBos: boolean;
}

interface EncoderSpec {
  architecture: 'bert';
  name: string;
  layers: number;
  embedding: number;
  heads: number;
  feedForward: number;
  contextLength: number;
  reranker: boolean;
}

const llama: DecoderSpec = {
  architecture: 'llama',
  name: 'Outcrop Test Llama (SmolLM2-135M shapes)',
  layers: 4,
  embedding: 576,
  heads: 9,
  kvHeads: 3,
  feedForward: 1536,
  vocabulary: 4096,
  contextLength: 8192,
  ropeBase: 100_000,
  attentionBias: false,
  tiedEmbeddings: true,
  template: smolLmTemplate,
  pre: 'smollm',
  special: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'],
  specialFirst: true,
  bos: '<|im_start|>',
  eos: '<|im_end|>',
  addBos: false,
};

export const presets = {
  llama,
  'smollm2-135m': { ...llama, name: 'Outcrop Test SmolLM2-135M (random weights)', layers: 30, vocabulary: 49_152 },
  qwen2: {
    architecture: 'qwen2',
    name: 'Outcrop Test Qwen2 (tiny)',
    layers: 2,
    embedding: 256,
    heads: 4,
    kvHeads: 2,
    feedForward: 768,
    vocabulary: 4096,
    contextLength: 32_768,
    ropeBase: 1_000_000,
    attentionBias: true,
    tiedEmbeddings: false,
    template: qwen2Template,
    pre: 'qwen2',
    special: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'],
    specialFirst: false,
    bos: '<|endoftext|>',
    eos: '<|im_end|>',
    addBos: false,
  },
  bert: { architecture: 'bert', name: 'Outcrop Test BERT embedding (tiny)', layers: 2, embedding: 128, heads: 4, feedForward: 512, contextLength: 512, reranker: false },
  'bert-reranker': { architecture: 'bert', name: 'Outcrop Test BERT reranker (tiny)', layers: 2, embedding: 128, heads: 4, feedForward: 512, contextLength: 512, reranker: true },
} satisfies Record<string, DecoderSpec | EncoderSpec>;

export type TestModelPreset = keyof typeof presets;

/** A seeded xorshift32, so the same specification always gives the same bytes. */
function random(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0) || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

/** Random F16 weights of magnitude 0.004 to 0.06 (written as IEEE half bit patterns directly). */
function randomF16(name: string, dimensions: number[]): GgufTensor {
  return {
    name,
    dimensions,
    type: 'F16',
    fill(bytes) {
      const next = random(name);
      const halves = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
      for (let index = 0; index < halves.length; index++) {
        const bits = next();
        halves[index] = (bits & 0x8000) | ((7 + ((bits >>> 10) & 3)) << 10) | (bits & 0x3ff);
      }
    },
  };
}

/** F32 tensors: norms start at one, biases are small random values. */
function f32(name: string, dimensions: number[], initial: 'ones' | 'random'): GgufTensor {
  return {
    name,
    dimensions,
    type: 'F32',
    fill(bytes) {
      const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
      if (initial === 'ones') floats.fill(1);
      else {
        const next = random(name);
        for (let index = 0; index < floats.length; index++) floats[index] = ((next() / 0xffffffff) * 2 - 1) * 0.02;
      }
    },
  };
}

function decoderDocument(spec: DecoderSpec): { metadata: [string, GgufValue][]; tensors: GgufTensor[] } {
  const vocabulary = buildBpeVocabulary({ size: spec.vocabulary, special: spec.special, specialFirst: spec.specialFirst });
  const arch = spec.architecture;
  const headDimension = spec.embedding / spec.heads;
  const kvWidth = headDimension * spec.kvHeads;
  const metadata: [string, GgufValue][] = [
    ['general.architecture', string(arch)],
    ['general.type', string('model')],
    ['general.name', string(spec.name)],
    ['general.file_type', uint32(1)],
    ['general.quantization_version', uint32(2)],
    [`${arch}.context_length`, uint32(spec.contextLength)],
    [`${arch}.embedding_length`, uint32(spec.embedding)],
    [`${arch}.block_count`, uint32(spec.layers)],
    [`${arch}.feed_forward_length`, uint32(spec.feedForward)],
    [`${arch}.attention.head_count`, uint32(spec.heads)],
    [`${arch}.attention.head_count_kv`, uint32(spec.kvHeads)],
    [`${arch}.rope.freq_base`, float32(spec.ropeBase)],
    [`${arch}.attention.layer_norm_rms_epsilon`, float32(1e-5)],
    ...(arch === 'llama' ? ([[`${arch}.rope.dimension_count`, uint32(headDimension)], [`${arch}.vocab_size`, uint32(spec.vocabulary)]] as [string, GgufValue][]) : []),
    ['tokenizer.ggml.model', string('gpt2')],
    ['tokenizer.ggml.pre', string(spec.pre)],
    ['tokenizer.ggml.tokens', array('STRING', vocabulary.tokens)],
    ['tokenizer.ggml.token_type', array('INT32', vocabulary.types)],
    ['tokenizer.ggml.merges', array('STRING', vocabulary.merges)],
    ['tokenizer.ggml.bos_token_id', uint32(vocabulary.special[spec.bos] as number)],
    ['tokenizer.ggml.eos_token_id', uint32(vocabulary.special[spec.eos] as number)],
    ['tokenizer.ggml.padding_token_id', uint32(vocabulary.special['<|endoftext|>'] as number)],
    ['tokenizer.ggml.add_bos_token', bool(spec.addBos)],
    ['tokenizer.chat_template', string(spec.template)],
  ];
  const tensors: GgufTensor[] = [randomF16('token_embd.weight', [spec.embedding, spec.vocabulary]), f32('output_norm.weight', [spec.embedding], 'ones')];
  if (!spec.tiedEmbeddings) tensors.push(randomF16('output.weight', [spec.embedding, spec.vocabulary]));
  for (let layer = 0; layer < spec.layers; layer++) {
    const block = `blk.${layer}`;
    tensors.push(
      f32(`${block}.attn_norm.weight`, [spec.embedding], 'ones'),
      randomF16(`${block}.attn_q.weight`, [spec.embedding, spec.embedding]),
      randomF16(`${block}.attn_k.weight`, [spec.embedding, kvWidth]),
      randomF16(`${block}.attn_v.weight`, [spec.embedding, kvWidth]),
    );
    if (spec.attentionBias) {
      tensors.push(f32(`${block}.attn_q.bias`, [spec.embedding], 'random'), f32(`${block}.attn_k.bias`, [kvWidth], 'random'), f32(`${block}.attn_v.bias`, [kvWidth], 'random'));
    }
    tensors.push(
      randomF16(`${block}.attn_output.weight`, [spec.embedding, spec.embedding]),
      f32(`${block}.ffn_norm.weight`, [spec.embedding], 'ones'),
      randomF16(`${block}.ffn_gate.weight`, [spec.embedding, spec.feedForward]),
      randomF16(`${block}.ffn_up.weight`, [spec.embedding, spec.feedForward]),
      randomF16(`${block}.ffn_down.weight`, [spec.feedForward, spec.embedding]),
    );
  }
  return { metadata, tensors };
}

function bertDocument(spec: EncoderSpec): { metadata: [string, GgufValue][]; tensors: GgufTensor[] } {
  const vocabulary = buildWordPieceVocabulary();
  const size = vocabulary.tokens.length;
  const width = spec.embedding;
  const metadata: [string, GgufValue][] = [
    ['general.architecture', string('bert')],
    ['general.type', string('model')],
    ['general.name', string(spec.name)],
    ['general.file_type', uint32(1)],
    ['bert.context_length', uint32(spec.contextLength)],
    ['bert.embedding_length', uint32(width)],
    ['bert.block_count', uint32(spec.layers)],
    ['bert.feed_forward_length', uint32(spec.feedForward)],
    ['bert.attention.head_count', uint32(spec.heads)],
    ['bert.attention.layer_norm_epsilon', float32(1e-12)],
    ['bert.attention.causal', bool(false)],
    // llama_pooling_type: 1 mean, 4 rank
    ['bert.pooling_type', uint32(spec.reranker ? 4 : 1)],
    ['tokenizer.ggml.model', string('bert')],
    ['tokenizer.ggml.tokens', array('STRING', vocabulary.tokens)],
    ['tokenizer.ggml.token_type', array('INT32', vocabulary.types)],
    ['tokenizer.ggml.token_type_count', uint32(2)],
    ['tokenizer.ggml.unknown_token_id', uint32(vocabulary.special['[UNK]'])],
    ['tokenizer.ggml.seperator_token_id', uint32(vocabulary.special['[SEP]'])],
    ['tokenizer.ggml.padding_token_id', uint32(vocabulary.special['[PAD]'])],
    ['tokenizer.ggml.cls_token_id', uint32(vocabulary.special['[CLS]'])],
    ['tokenizer.ggml.mask_token_id', uint32(vocabulary.special['[MASK]'])],
    ['tokenizer.ggml.bos_token_id', uint32(vocabulary.special['[CLS]'])],
    ['tokenizer.ggml.add_bos_token', bool(true)],
    ['tokenizer.ggml.add_eos_token', bool(true)],
  ];
  const tensors: GgufTensor[] = [
    randomF16('token_embd.weight', [width, size]),
    // F32 like the converter writes it: llama.cpp adds a row of it to F32 activations
    f32('token_types.weight', [width, 2], 'random'),
    randomF16('position_embd.weight', [width, spec.contextLength]),
    f32('token_embd_norm.weight', [width], 'ones'),
    f32('token_embd_norm.bias', [width], 'random'),
  ];
  for (let layer = 0; layer < spec.layers; layer++) {
    const block = `blk.${layer}`;
    for (const part of ['attn_q', 'attn_k', 'attn_v', 'attn_output']) {
      tensors.push(randomF16(`${block}.${part}.weight`, [width, width]), f32(`${block}.${part}.bias`, [width], 'random'));
    }
    tensors.push(
      f32(`${block}.attn_output_norm.weight`, [width], 'ones'),
      f32(`${block}.attn_output_norm.bias`, [width], 'random'),
      randomF16(`${block}.ffn_up.weight`, [width, spec.feedForward]),
      f32(`${block}.ffn_up.bias`, [spec.feedForward], 'random'),
      randomF16(`${block}.ffn_down.weight`, [spec.feedForward, width]),
      f32(`${block}.ffn_down.bias`, [width], 'random'),
      f32(`${block}.layer_output_norm.weight`, [width], 'ones'),
      f32(`${block}.layer_output_norm.bias`, [width], 'random'),
    );
  }
  if (spec.reranker) {
    tensors.push(
      randomF16('cls.weight', [width, width]),
      f32('cls.bias', [width], 'random'),
      randomF16('cls.output.weight', [width, 1]),
      f32('cls.output.bias', [1], 'random'),
    );
  }
  return { metadata, tensors };
}

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** the generator's own sources: a change to any of them gives new file names */
const generatorSources = ['scripts/make-test-gguf.ts', 'scripts/gguf/write-gguf.ts', 'scripts/gguf/test-vocabulary.ts'];

/** Where generated models are cached. */
export function testModelsDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.OUTCROP_TEST_MODELS_DIR ?? join(repositoryRoot, 'node_modules', '.cache', 'outcrop-test-models');
}

/**
 * Returns the path of the preset's GGUF file, generating it on first use. The file name carries a
 * hash of the specification and of the generator's sources, so a change never reuses a stale file;
 * writes go through a temporary name and a rename, so parallel test processes never see half a file.
 */
export function makeTestGguf(preset: TestModelPreset, directory = testModelsDirectory()): string {
  const spec: DecoderSpec | EncoderSpec = presets[preset];
  const hasher = createHash('sha256').update(JSON.stringify({ preset, spec }));
  for (const source of generatorSources) hasher.update(readFileSync(join(repositoryRoot, source)));
  const hash = hasher.digest('hex').slice(0, 12);
  const path = join(directory, `outcrop-test-${preset}-${hash}.gguf`);
  if (existsSync(path)) return path;
  mkdirSync(directory, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeGguf(temporary, spec.architecture === 'bert' ? bertDocument(spec) : decoderDocument(spec));
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
  return path;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const requested = process.argv.slice(2);
  for (const preset of requested.length ? requested : Object.keys(presets)) {
    if (!(preset in presets)) {
      process.stderr.write(`unknown preset '${preset}'; presets: ${Object.keys(presets).join(', ')}\n`);
      process.exit(2);
    }
    process.stdout.write(`${makeTestGguf(preset as TestModelPreset)}\n`);
  }
}
