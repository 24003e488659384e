import type { GraphFeeds } from './graph-feeds.js';

/** The parts of a TensorFlow.js tensor this file uses. */
export interface ForwardTensor {
  readonly shape: number[];
  dataSync(): Float32Array | Int32Array | Uint8Array;
  dispose(): void;
}

type T = ForwardTensor;

/** The TensorFlow.js ops the forward pass calls: the same ones the graph executor calls for the graph's nodes. */
export interface ForwardOps {
  tidy<R extends T>(run: () => R): R;
  tensor1d(values: Float32Array | Int32Array, dtype: 'float32' | 'int32'): T;
  tensor2d(values: Int32Array, shape: [number, number], dtype: 'int32'): T;
  tensor4d(values: Float32Array, shape: [number, number, number, number], dtype: 'float32'): T;
  tensor3d(values: Float32Array, shape: [number, number, number], dtype: 'float32'): T;
  gather(x: T, indices: T, axis: number): T;
  gatherND(x: T, indices: T): T;
  scatterND(indices: T, updates: T, shape: number[]): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  maximum(a: T, b: T): T;
  square(x: T): T;
  rsqrt(x: T): T;
  relu(x: T): T;
  tanh(x: T): T;
  sin(x: T): T;
  cos(x: T): T;
  softmax(x: T): T;
  mean(x: T, axis: number, keepDims: boolean): T;
  sum(x: T, axis: number, keepDims: boolean): T;
  matMul(a: T, b: T, transposeA: boolean, transposeB: boolean): T;
  conv2d(x: T, filter: T, strides: [number, number], pad: 'valid', dataFormat: 'NHWC', dilations: [number, number]): T;
  concat(tensors: T[], axis: number): T;
  reshape(x: T, shape: number[]): T;
  expandDims(x: T, axis: number): T;
  squeeze(x: T, axis: number[]): T;
  split(x: T, sizes: number[], axis: number): T[];
  transpose(x: T, perm: number[]): T;
}

const transformer = 'module_apply_default/Encoder_en/KonaTransformer';
const stack = `${transformer}/Encode/TransformerStack`;
const encode = `${transformer}/Encode`;

/** Weights and constants of one transformer layer, by the graph's names. */
function layerWeights(layer: 0 | 1) {
  const partitioned = (name: string) => `${encode}/Layer_${layer}/TransformerLayer/${name}/ConcatPartitions/concat`;
  const kernel = (name: string) => `module/Encoder_en/KonaTransformer/Encode/Layer_${layer}/TransformerLayer/MultiheadAttention/${name}/kernel/part_0`;
  return {
    attentionScale: partitioned('layer_prepostprocess/layer_norm/layer_norm_scale'),
    attentionShift: partitioned('layer_prepostprocess/layer_norm/layer_norm_bias'),
    qkvKernel: kernel('qkv_transform_single'),
    qkvBias: partitioned('MultiheadAttention/qkv_transform_single/bias'),
    outputKernel: kernel('output_transform_single'),
    outputBias: partitioned('MultiheadAttention/output_transform_single/bias'),
    queryScale: `${stack}/Layer_${layer}/TransformerLayer/MultiheadAttention/mul/y`,
    ffnScale: partitioned('FFN/layer_prepostprocess/layer_norm/layer_norm_scale'),
    ffnShift: partitioned('FFN/layer_prepostprocess/layer_norm/layer_norm_bias'),
    ffnKernel1: `${stack}/Layer_${layer}/TransformerLayer/FFN/conv1/Tensordot/Reshape_1`,
    ffnBias1: partitioned('FFN/conv1/bias'),
    ffnKernel2: `${stack}/Layer_${layer}/TransformerLayer/FFN/conv2/Tensordot/Reshape_1`,
    ffnBias2: partitioned('FFN/conv2/bias'),
  };
}

const names = {
  embeddings: 'module/Embeddings_en',
  inverseTimescales: `${stack}/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`,
  residualKernel: `${encode}/Layer_0/TransformerLayer/dense/kernel/ConcatPartitions/concat`,
  residualBias: `${encode}/Layer_0/TransformerLayer/dense/bias/ConcatPartitions/concat`,
  epsilon: `${stack}/Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x`,
  paddingBias: `${stack}/Layer_1/TransformerLayer/MultiheadAttention/DotProductAttention/attention_bias_ignore_padding/mul/y`,
  hiddenKernel: 'module/Encoder_en/hidden_layers/tanh_layer_0/weights',
  hiddenBias: 'module/Encoder_en/hidden_layers/tanh_layer_0/bias',
  normFloor: 'module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y',
  layers: [layerWeights(0), layerWeights(1)] as const,
};
/** Attention heads of each layer (the graph's `split_heads` reshape). */
const heads = 4;

type LayerWeights = { [Key in keyof ReturnType<typeof layerWeights>]: T };

/**
 * Universal Sentence Encoder lite's graph written out as the TensorFlow.js ops its nodes run, in the
 * same order and on the same tensors, so the vectors are bit for bit those of `GraphModel.execute`
 * (the tests compare them) without the executor's cost: the graph spends about 150 of its 256 nodes
 * on shapes (Shape, StridedSlice, Pack, Prod, ConcatV2 of shape vectors), each a kernel call and
 * bookkeeping. Returns undefined when the loaded weights are not the ones this was written for.
 *
 * @example
 * const forward = createForwardPass(tf, model.weights);
 * const vectors = forward?.(graphFeeds(rows, 128)); // [rows, 512]
 */
export function createForwardPass(ops: ForwardOps, weights: Readonly<Record<string, readonly T[] | undefined>>): ((feeds: GraphFeeds) => T) | undefined {
  const weight = (name: string): T | undefined => weights[name]?.[0];
  const pick = <Shape extends Record<string, string>>(shape: Shape): { [Key in keyof Shape]: T } | undefined => {
    const picked: Record<string, T> = {};
    for (const [key, name] of Object.entries(shape)) {
      const tensor = weight(name);
      if (!tensor) return undefined;
      picked[key] = tensor;
    }
    return picked as { [Key in keyof Shape]: T };
  };
  const { layers, ...shared } = names;
  const w = pick(shared);
  const layer0 = pick(layers[0]);
  const layer1 = pick(layers[1]);
  if (!w || !layer0 || !layer1) return undefined;

  /** `layer_prepostprocess/layer_norm`: mean, centre, variance, epsilon, rsqrt, scale, shift. */
  const layerNorm = (x: T, scale: T, shift: T): T => {
    const centred = ops.sub(x, ops.mean(x, -1, true));
    const variance = ops.mean(ops.square(centred), -1, true);
    return ops.add(ops.mul(ops.mul(scale, ops.rsqrt(ops.add(variance, w.epsilon))), centred), shift);
  };

  /** `MultiheadAttention`: 1×1 convolutions for the projections, scaled dot-product attention with the padding bias. */
  const attention = (x: T, weights: LayerWeights, bias: T, rows: number, columns: number): T => {
    const width = weights.qkvKernel.shape[3]! / 3;
    const depth = width / heads;
    const qkv = ops.squeeze(ops.add(ops.conv2d(ops.expandDims(x, 2), weights.qkvKernel, [1, 1], 'valid', 'NHWC', [1, 1]), weights.qkvBias), [2]);
    const [query, key, value] = ops.split(qkv, [width, width, width], 2).map((part) => ops.transpose(ops.reshape(part, [rows, columns, heads, depth]), [0, 2, 1, 3]));
    const scores = ops.add(ops.matMul(ops.mul(query!, weights.queryScale), key!, false, true), bias);
    const attentionWeights = ops.reshape(ops.softmax(ops.reshape(scores, [-1, columns])), [rows, heads, columns, columns]);
    const combined = ops.reshape(ops.transpose(ops.matMul(attentionWeights, value!, false, false), [0, 2, 1, 3]), [rows, columns, width]);
    return ops.squeeze(ops.add(ops.conv2d(ops.expandDims(combined, 2), weights.outputKernel, [1, 1], 'valid', 'NHWC', [1, 1]), weights.outputBias), [2]);
  };

  /** `FFN`: on the real tokens only (gathered, then scattered back), two dense layers with a ReLU between. */
  const feedForward = (x: T, weights: LayerWeights, coordinates: T, tokens: number, dense: number[]): T => {
    const gathered = ops.expandDims(ops.gatherND(x, coordinates), 0);
    const inner = ops.reshape(ops.matMul(ops.reshape(gathered, [tokens, gathered.shape[2]!]), weights.ffnKernel1, false, false), [1, tokens, weights.ffnKernel1.shape[1]!]);
    const activated = ops.relu(ops.add(inner, weights.ffnBias1));
    const outer = ops.reshape(ops.matMul(ops.reshape(activated, [tokens, activated.shape[2]!]), weights.ffnKernel2, false, false), [1, tokens, weights.ffnKernel2.shape[1]!]);
    return ops.scatterND(coordinates, ops.squeeze(ops.add(outer, weights.ffnBias2), [0]), [...dense, weights.ffnKernel2.shape[1]!]);
  };

  return (feeds) => {
    // The padded batch: as many rows as the last row holding a token, as many columns as the longest row.
    const tokens = feeds.kept.length;
    let rows = 0;
    let columns = 0;
    for (let token = 0; token < tokens; token++) {
      rows = Math.max(rows, feeds.tokenCoordinates[token * 2]! + 1);
      columns = Math.max(columns, feeds.tokenCoordinates[token * 2 + 1]! + 1);
    }
    const padding = new Float32Array(rows * columns).fill(1);
    const lengths = new Float32Array(rows);
    for (let token = 0; token < tokens; token++) {
      const row = feeds.tokenCoordinates[token * 2]!;
      padding[row * columns + feeds.tokenCoordinates[token * 2 + 1]!] = 0;
      lengths[row]!++;
    }
    const ids = new Int32Array(tokens);
    feeds.kept.forEach((position, token) => {
      ids[token] = feeds.values[position]!;
    });
    const sequenceMask = new Float32Array(rows * columns);
    lengths.forEach((length, row) => {
      sequenceMask.fill(1, row * columns, row * columns + length);
    });
    return ops.tidy(() => {
      const coordinates = ops.tensor2d(feeds.tokenCoordinates, [tokens, 2], 'int32');
      const dense = [rows, columns];
      // Embeddings and the sinusoidal timing signal, scattered into the padded batch.
      const embedded = ops.gather(w.embeddings, ops.tensor1d(ids, 'int32'), 0);
      const scattered = ops.scatterND(coordinates, embedded, [...dense, embedded.shape[1]!]);
      const angles = ops.mul(ops.expandDims(ops.tensor1d(Float32Array.from(feeds.tokenColumns), 'float32'), 1), w.inverseTimescales);
      const timed = ops.add(ops.gatherND(scattered, coordinates), ops.concat([ops.sin(angles), ops.cos(angles)], 1));
      const input = ops.add(scattered, ops.scatterND(coordinates, timed, [...dense, timed.shape[1]!]));
      const bias = ops.mul(ops.tensor4d(padding, [rows, 1, 1, columns], 'float32'), w.paddingBias);

      // Layer 0 widens the 256-dimension input to 512 for its residual.
      const residual = ops.scatterND(coordinates, ops.add(ops.matMul(ops.gatherND(input, coordinates), w.residualKernel, false, false), w.residualBias), [...dense, w.residualBias.shape[0]!]);
      const attended0 = ops.add(attention(layerNorm(input, layer0.attentionScale, layer0.attentionShift), layer0, bias, rows, columns), residual);
      const layerOutput0 = ops.add(feedForward(layerNorm(attended0, layer0.ffnScale, layer0.ffnShift), layer0, coordinates, tokens, dense), attended0);
      const attended1 = ops.add(attention(layerNorm(layerOutput0, layer1.attentionScale, layer1.attentionShift), layer1, bias, rows, columns), layerOutput0);
      const layerOutput1 = ops.add(feedForward(layerNorm(attended1, layer1.ffnScale, layer1.ffnShift), layer1, coordinates, tokens, dense), attended1);

      // Mean over each text's tokens, a tanh layer, and L2 normalization.
      const summed = ops.sum(ops.mul(layerOutput1, ops.tensor3d(sequenceMask, [rows, columns, 1], 'float32')), 1, false);
      const counts = ops.expandDims(ops.maximum(ops.tensor1d(lengths, 'float32'), ops.tensor1d(new Float32Array([1]), 'float32')), 1);
      const hidden = ops.tanh(ops.add(ops.matMul(ops.div(summed, counts), w.hiddenKernel, false, false), w.hiddenBias));
      return ops.mul(hidden, ops.rsqrt(ops.maximum(ops.sum(ops.square(hidden), 1, true), w.normFloor)));
    });
  };
}
