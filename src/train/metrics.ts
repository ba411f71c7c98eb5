/** Classification metrics on a validation split. */

export interface ClassifierMetrics {
  accuracy: number;
  /** Binary: F1 of the positive class (index 1). Categories: macro-F1 over classes. */
  f1: number;
  macroF1: number;
  /** Binary only: area under the ROC curve of the positive-class score; null otherwise or with one class present. */
  rocAuc: number | null;
  /** confusion[actual][predicted] counts. */
  confusion: number[][];
  count: number;
}

/** ROC-AUC as the Mann–Whitney statistic: average ranks, ties counted half. */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  const ranks = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = rank;
    i = j + 1;
  }
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; i++) {
    if (positive[i]) {
      positives++;
      rankSum += ranks[i] as number;
    }
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function f1Of(confusion: number[][], k: number): number {
  const tp = confusion[k]?.[k] ?? 0;
  const predicted = confusion.reduce((sum, row) => sum + (row[k] ?? 0), 0);
  const actual = (confusion[k] ?? []).reduce((a, b) => a + b, 0);
  return predicted + actual === 0 ? 0 : (2 * tp) / (predicted + actual);
}

/**
 * probabilities: row-major [count, classes]; labels: actual class per row. For two classes the
 * prediction is class 1 when its probability is at least 0.5.
 */
export function classifierMetrics(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
): ClassifierMetrics {
  const count = labels.length;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++)
      if ((probabilities[i * classes + k] as number) > (probabilities[i * classes + best] as number))
        best = k;
    const actual = labels[i] as number;
    (confusion[actual] as number[])[best] = ((confusion[actual] as number[])[best] ?? 0) + 1;
    if (best === actual) correct++;
  }
  const perClass = Array.from({ length: classes }, (_, k) => f1Of(confusion, k));
  const macroF1 = perClass.reduce((a, b) => a + b, 0) / classes;
  const binary = classes === 2;
  const auc = binary
    ? rocAuc(
        Float64Array.from({ length: count }, (_, i) => probabilities[i * 2 + 1] as number),
        Array.from({ length: count }, (_, i) => labels[i] === 1),
      )
    : null;
  return {
    accuracy: count === 0 ? 0 : correct / count,
    f1: binary ? (perClass[1] as number) : macroF1,
    macroF1,
    rocAuc: auc,
    confusion,
    count,
  };
}
