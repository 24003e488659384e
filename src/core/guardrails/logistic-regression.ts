import { sigmoid } from './vectors.js';

/** One example's inputs: dense values and the indices of active (value 1) hashed features. */
export interface FeatureRow {
  dense: ArrayLike<number>;
  hashed?: ArrayLike<number>;
}

/** A trained binary logistic regression: `sigmoid(weights · dense + Σ hashedWeights[active] + bias)`. */
export interface LogisticModel {
  weights: number[];
  bias: number;
  hashedWeights?: number[];
}

export function predictProbability(model: LogisticModel, row: FeatureRow): number {
  let sum = model.bias;
  const { weights, hashedWeights } = model;
  for (let index = 0; index < weights.length; index++) sum += weights[index]! * (row.dense[index] ?? 0);
  if (hashedWeights && row.hashed) for (let index = 0; index < row.hashed.length; index++) sum += hashedWeights[row.hashed[index]!] ?? 0;
  return sigmoid(sum);
}

export interface TrainingOptions {
  /** L2 penalty on the weights (not the bias) */
  l2?: number;
  epochs?: number;
  learningRate?: number;
  /** size of the hashed feature space (0: none) */
  hashedSize?: number;
}

/**
 * Fits weighted binary logistic regression by full-batch gradient descent with Adam. Small and
 * deterministic: the content filter's training script fits a few thousand rows in seconds.
 *
 * @example
 * const model = trainLogisticRegression(rows, labels, rows.map(() => 1), { l2: 1e-3 });
 */
export function trainLogisticRegression(rows: FeatureRow[], labels: number[], sampleWeights: number[], options: TrainingOptions = {}): LogisticModel {
  const l2 = options.l2 ?? 1e-3;
  const epochs = options.epochs ?? 300;
  const learningRate = options.learningRate ?? 0.05;
  const dense = rows[0]?.dense.length ?? 0;
  const hashed = options.hashedSize ?? 0;
  const size = dense + hashed + 1;
  const parameters = new Float64Array(size);
  const firstMoment = new Float64Array(size);
  const secondMoment = new Float64Array(size);
  const gradient = new Float64Array(size);
  const totalWeight = sampleWeights.reduce((sum, weight) => sum + weight, 0);
  const biasIndex = size - 1;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    gradient.fill(0);
    rows.forEach((row, index) => {
      let sum = parameters[biasIndex]!;
      for (let column = 0; column < dense; column++) sum += parameters[column]! * row.dense[column]!;
      if (hashed && row.hashed) for (let k = 0; k < row.hashed.length; k++) sum += parameters[dense + row.hashed[k]!]!;
      const error = (sigmoid(sum) - labels[index]!) * sampleWeights[index]!;
      for (let column = 0; column < dense; column++) gradient[column]! += error * row.dense[column]!;
      if (hashed && row.hashed) for (let k = 0; k < row.hashed.length; k++) gradient[dense + row.hashed[k]!]! += error;
      gradient[biasIndex]! += error;
    });
    const correction1 = 1 - 0.9 ** epoch;
    const correction2 = 1 - 0.999 ** epoch;
    for (let column = 0; column < size; column++) {
      let value = gradient[column]! / totalWeight;
      if (column !== biasIndex) value += l2 * parameters[column]!;
      firstMoment[column] = 0.9 * firstMoment[column]! + 0.1 * value;
      secondMoment[column] = 0.999 * secondMoment[column]! + 0.001 * value * value;
      parameters[column]! -= (learningRate * (firstMoment[column]! / correction1)) / (Math.sqrt(secondMoment[column]! / correction2) + 1e-8);
    }
  }
  const round = (value: number) => Number(value.toPrecision(5));
  return {
    weights: Array.from(parameters.subarray(0, dense), round),
    bias: round(parameters[biasIndex]!),
    ...(hashed ? { hashedWeights: Array.from(parameters.subarray(dense, dense + hashed), round) } : {}),
  };
}
