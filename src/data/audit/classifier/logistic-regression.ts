import { mix32 } from '../text.ts';
import {
  defaultFeatureOptions,
  hashedFeatures,
  type HashedFeatureOptions,
  type SparseFeatures,
} from './features.ts';

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty, applied to the weights a row touches (lazy regularisation keeps updates sparse). */
  l2: number;
  /** Weight each class by n / (classes × n_class), so a rare class is not ignored. */
  balanceClasses: boolean;
  seed: number;
  /** Small datasets get more epochs, up to this many updates in total, so a few dozen rows still converge. */
  minUpdates: number;
}

export const defaultTrainOptions: TrainOptions = {
  epochs: 3,
  learningRate: 0.8,
  l2: 1e-6,
  balanceClasses: false,
  seed: 1,
  minUpdates: 5000,
};

/** Multinomial logistic regression on hashed character n-grams. Plain data, so it can be stored or posted to a worker. */
export interface TextClassifier {
  classes: string[];
  features: HashedFeatureOptions;
  /** (classes × dimension), row-major: weights[k * dimension + f]. Class 0 is the reference class: its logit is fixed at 0, so its row stays zero (for two classes this is plain logistic regression, at half the cost). */
  weights: Float32Array;
  bias: Float32Array;
}

/** Row r's class probabilities are probabilities[r * classes + k]. */
export type ProbabilityMatrix = Float32Array;

function shuffled(items: number[], seed: number): number[] {
  const out = items.slice();
  let state = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = mix32(state + 0x9e3779b9);
    const j = state % (i + 1);
    const swap = out[i] ?? 0;
    out[i] = out[j] ?? 0;
    out[j] = swap;
  }
  return out;
}

function logitsInto(
  model: Pick<TextClassifier, 'weights' | 'bias'>,
  k: number,
  dim: number,
  x: SparseFeatures,
  r: number,
  out: Float64Array,
): void {
  const start = x.offsets[r] ?? 0;
  const end = x.offsets[r + 1] ?? 0;
  const value = end > start ? 1 / Math.sqrt(end - start) : 0;
  let max = 0;
  out[0] = 0;
  for (let c = 1; c < k; c++) {
    let dot = 0;
    const base = c * dim;
    for (let s = start; s < end; s++) dot += model.weights[base + (x.indices[s] ?? 0)] ?? 0;
    const z = (model.bias[c] ?? 0) + dot * value;
    out[c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp((out[c] ?? 0) - max);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) out[c] = (out[c] ?? 0) / sum;
}

/** Trains on the given rows of already hashed features; labels[r] is a class index or -1 (skipped). */
export function trainOnFeatures(
  x: SparseFeatures,
  labels: Int32Array,
  rows: number[],
  classes: string[],
  features: HashedFeatureOptions,
  options: TrainOptions = defaultTrainOptions,
): TextClassifier {
  const k = classes.length;
  const dim = x.dimension;
  const model: TextClassifier = {
    classes,
    features,
    weights: new Float32Array(k * dim),
    bias: new Float32Array(k),
  };
  const counts = new Float64Array(k);
  for (const r of rows) counts[labels[r] ?? 0] = (counts[labels[r] ?? 0] ?? 0) + 1;
  const classWeight = Float64Array.from(counts, (n) =>
    options.balanceClasses && n > 0 ? rows.length / (k * n) : 1,
  );
  const probs = new Float64Array(k);
  const { weights } = model;
  const { indices } = x;
  let step = 0;
  const epochs = Math.max(options.epochs, Math.ceil(options.minUpdates / Math.max(1, rows.length)));
  const totalSteps = Math.max(1, epochs * rows.length);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const r of shuffled(rows, options.seed + epoch)) {
      const y = labels[r] ?? -1;
      if (y < 0) continue;
      const lr = options.learningRate * (1 - (0.9 * step++) / totalSteps);
      logitsInto(model, k, dim, x, r, probs);
      const start = x.offsets[r] ?? 0;
      const end = x.offsets[r + 1] ?? 0;
      const value = end > start ? 1 / Math.sqrt(end - start) : 0;
      const decay = 1 - lr * options.l2;
      for (let c = 1; c < k; c++) {
        const g = ((probs[c] ?? 0) - (c === y ? 1 : 0)) * (classWeight[y] ?? 1);
        model.bias[c] = (model.bias[c] ?? 0) - lr * g;
        const delta = lr * g * value;
        const base = c * dim;
        for (let s = start; s < end; s++) {
          const w = base + (indices[s] ?? 0);
          weights[w] = (weights[w] ?? 0) * decay - delta;
        }
      }
    }
  }
  return model;
}

export function predictFeatures(model: TextClassifier, x: SparseFeatures, rows: number[]): ProbabilityMatrix {
  const k = model.classes.length;
  const out = new Float32Array(rows.length * k);
  const probs = new Float64Array(k);
  rows.forEach((r, n) => {
    logitsInto(model, k, x.dimension, x, r, probs);
    for (let c = 0; c < k; c++) out[n * k + c] = probs[c] ?? 0;
  });
  return out;
}

/** Trains a classifier from texts and their class names (null = unlabeled, ignored). */
export function trainClassifier(
  texts: readonly string[],
  labels: readonly (string | null)[],
  options: Partial<TrainOptions> = {},
  features: HashedFeatureOptions = defaultFeatureOptions,
): TextClassifier {
  if (texts.length !== labels.length)
    throw new Error(`trainClassifier: ${texts.length} texts but ${labels.length} labels.`);
  const classes = [...new Set(labels.filter((l): l is string => l !== null))].sort();
  if (classes.length < 2)
    throw new Error(`trainClassifier needs at least two classes; got ${classes.length}.`);
  const index = new Map(classes.map((c, i) => [c, i]));
  const y = Int32Array.from(labels, (l) => (l === null ? -1 : (index.get(l) ?? -1)));
  const rows = [...y.keys()].filter((r) => (y[r] ?? -1) >= 0);
  return trainOnFeatures(hashedFeatures(texts, features), y, rows, classes, features, {
    ...defaultTrainOptions,
    ...options,
  });
}

/** Class probabilities for each text: result[r * classes.length + k]. */
export function predictProbabilities(model: TextClassifier, texts: readonly string[]): ProbabilityMatrix {
  const x = hashedFeatures(texts, model.features);
  return predictFeatures(model, x, [...texts.keys()]);
}

/** The most likely class and the probability of every class for one text. */
export function classify(
  model: TextClassifier,
  text: string,
): { label: string; probabilities: Record<string, number> } {
  const p = predictProbabilities(model, [text]);
  const probabilities: Record<string, number> = {};
  let label = model.classes[0] ?? '';
  let best = -1;
  model.classes.forEach((c, k) => {
    const v = p[k] ?? 0;
    probabilities[c] = v;
    if (v > best) [label, best] = [c, v];
  });
  return { label, probabilities };
}
