/**
 * The quality baseline for the humor classifier: the audit's hashed char-n-gram logistic regression,
 * trained and scored on exactly the train / validation split the LoRA classifier sees (splitRows, with
 * the same explicit validation rows when there are any).
 */
import { predictProbabilities, trainClassifier } from '../src/data/audit/classifier/logistic-regression.ts';
import type { TrainConfig } from '../src/train/config.ts';
import { splitRows, type LabeledText } from '../src/train/examples.ts';
import { classifierMetrics, type ClassifierMetrics } from '../src/train/metrics.ts';

export function classifierBaseline(
  rows: readonly LabeledText[],
  config: TrainConfig,
  validationRows?: readonly LabeledText[],
): ClassifierMetrics {
  const split = splitRows(rows, { ...config, task: 'classifier', funnyOnly: false }, validationRows);
  const plan = split.plan;
  const validation = split.validation.slice(0, config.maxValidationItems);
  const model = trainClassifier(
    split.train.map((e) => e.text),
    split.train.map((e) => plan.classes[e.classIndex] ?? null),
    { balanceClasses: config.balanceClasses },
  );
  const probs = predictProbabilities(
    model,
    validation.map((e) => e.text),
  );
  // The baseline orders its classes by name; reorder its columns into the plan's class order.
  const k = plan.classes.length;
  const reordered = new Float64Array(validation.length * k);
  plan.classes.forEach((name, c) => {
    const from = model.classes.indexOf(name);
    for (let r = 0; r < validation.length; r++)
      reordered[r * k + c] = probs[r * model.classes.length + from] ?? 0;
  });
  return classifierMetrics(
    reordered,
    validation.map((e) => e.classIndex),
    k,
  );
}
