import type { HashedFeatureOptions, SparseFeatures } from './features.ts';
import {
  predictFeatures,
  trainOnFeatures,
  type ProbabilityMatrix,
  type TrainOptions,
} from './logistic-regression.ts';

/**
 * Out-of-fold class probabilities: every labelled row is scored by a model that never saw it.
 * Folds are stratified (each class dealt round-robin), so each fold sees every class.
 * Rows with label -1 get no probabilities (their slots stay 0).
 */
export function outOfFoldProbabilities(
  x: SparseFeatures,
  labels: Int32Array,
  classes: string[],
  folds: number,
  features: HashedFeatureOptions,
  options: TrainOptions,
  onFold?: (done: number, total: number) => void,
): ProbabilityMatrix {
  const k = classes.length;
  const foldOf = new Int32Array(labels.length).fill(-1);
  const seen = new Int32Array(k);
  labels.forEach((y, r) => {
    if (y < 0) return;
    foldOf[r] = (seen[y] ?? 0) % folds;
    seen[y] = (seen[y] ?? 0) + 1;
  });
  const out = new Float32Array(labels.length * k);
  for (let fold = 0; fold < folds; fold++) {
    const train: number[] = [];
    const test: number[] = [];
    foldOf.forEach((f, r) => {
      if (f < 0) return;
      (f === fold ? test : train).push(r);
    });
    const model = trainOnFeatures(x, labels, train, classes, features, {
      ...options,
      seed: options.seed + fold * 101,
    });
    const p = predictFeatures(model, x, test);
    test.forEach((r, n) => out.set(p.subarray(n * k, n * k + k), r * k));
    onFold?.(fold + 1, folds);
  }
  return out;
}
