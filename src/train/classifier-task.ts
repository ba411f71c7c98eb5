/**
 * The classifier task: length-bucketed rows through the classifier train-step graph (LoRA + score head;
 * one logit with binary cross-entropy for two classes, softmax cross-entropy for more), class weights
 * against imbalance; validation loss (unweighted) and metrics from the logits graph.
 */
import { loraTable } from '../engine/arch/lora.ts';
import { buildClassifierGraph, SCORE_WEIGHT } from '../engine/graphs/classifier.ts';
import { gradName } from '../engine/graphs/train-lm.ts';
import { loraDropoutMasks } from '../engine/graphs/weights.ts';
import { exportOnnx } from '../engine/onnx/serialize.ts';
import { readFloat32, readScalar } from '../runtime/tensors.ts';
import type { OrtTensor } from '../runtime/types.ts';
import {
  BucketedRows,
  validationClassifierBatches,
  type ClassifierBatch,
  type LabeledSequence,
} from './classifier-batches.ts';
import { classifierMetrics } from './metrics.ts';
import { createTaskSession, feedParams, type TaskContext, type TaskRunner } from './task.ts';

export interface ClassifierTaskData {
  train: LabeledSequence[];
  validation: LabeledSequence[];
  classes: number;
  batchSize: number;
  seed: number;
  balanceClasses: boolean;
  maxValidationRows: number;
}

/** n / (classes × n_k) per class, or ones; a class absent from training gets weight 1. */
export function classWeights(
  items: readonly LabeledSequence[],
  classes: number,
  balance: boolean,
): Float32Array {
  const counts = new Float64Array(classes);
  for (const item of items) counts[item.classIndex] = (counts[item.classIndex] ?? 0) + 1;
  return Float32Array.from(counts, (n) => (balance && n > 0 ? items.length / (classes * n) : 1));
}

/** Probabilities [rows, classes] from logits [rows, heads]; one head means a sigmoid over class 1. */
export function probabilitiesFromLogits(logits: Float32Array, rows: number, classes: number): Float64Array {
  const probs = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    if (classes === 2) {
      const p = 1 / (1 + Math.exp(-(logits[r] as number)));
      probs[r * 2] = 1 - p;
      probs[r * 2 + 1] = p;
      continue;
    }
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, logits[r * classes + k] as number);
    let sum = 0;
    for (let k = 0; k < classes; k++)
      sum += probs[r * classes + k] = Math.exp((logits[r * classes + k] as number) - max);
    for (let k = 0; k < classes; k++) probs[r * classes + k] = (probs[r * classes + k] as number) / sum;
  }
  return probs;
}

export async function createClassifierTask(
  context: TaskContext,
  data: ClassifierTaskData,
): Promise<TaskRunner> {
  const { runtime, config, lora } = context;
  if (data.classes < 2) throw new Error(`a classifier needs at least 2 classes, got ${data.classes}`);
  const heads = data.classes === 2 ? 1 : data.classes;
  const specs = loraTable(config, lora);
  const shapes = new Map<string, number[]>([
    ...specs.flatMap((s): [string, number[]][] => [
      [s.aName, s.aShape],
      [s.bName, s.bShape],
    ]),
    [SCORE_WEIGHT, [heads, config.hiddenSize]],
  ]);
  const rows = new BucketedRows(data.train, data.batchSize, data.seed);
  const validation = validationClassifierBatches(data.validation, data.maxValidationRows, data.batchSize);
  const weights = classWeights(data.train, data.classes, data.balanceClasses);
  const options = { numLabels: heads, weights: { kind: 'inputs' } as const, lora };
  const trainGraph = buildClassifierGraph(config, { ...options, train: true });
  const trainSession = await createTaskSession(
    context,
    exportOnnx(trainGraph.graph),
    'classifier train step',
  );
  const evalGraph = buildClassifierGraph(config, { ...options, train: false });
  const evalSession = await createTaskSession(context, exportOnnx(evalGraph.graph), 'classifier validation');
  const dropout = lora.dropout ?? 0;
  const t = runtime.tensors;
  const batchFeeds = (batch: ClassifierBatch): Record<string, OrtTensor> => ({
    input_ids: t.int32(batch.inputIds, [batch.rows, batch.seq]),
    attention_mask: t.int32(batch.attentionMask, [batch.rows, batch.seq]),
  });

  return {
    shapes,
    specs,
    batchesPerEpoch: rows.batchesPerEpoch,
    async step(params, from, uniform) {
      const batch = rows.batch(from);
      const labels =
        heads === 1
          ? t.float32(Float32Array.from(batch.classIndex), [batch.rows])
          : t.int32(batch.classIndex, [batch.rows]);
      const sampleWeight = Float32Array.from(batch.classIndex, (k) => weights[k] ?? 1);
      const feeds: Record<string, OrtTensor> = {
        ...context.base,
        ...feedParams(runtime, shapes, params),
        ...batchFeeds(batch),
        labels,
        sample_weight: t.float32(sampleWeight, [batch.rows]),
      };
      if (dropout > 0)
        for (const [name, mask] of loraDropoutMasks(specs, dropout, batch.rows, batch.seq, uniform))
          feeds[name] = t.float32(mask, [batch.rows, batch.seq, mask.length / (batch.rows * batch.seq)]);
      const out = await trainSession.run(feeds);
      const grads: Record<string, Float32Array> = {};
      for (const name of trainGraph.trainable)
        grads[name] = await readFloat32(out[gradName(name)] as OrtTensor, gradName(name));
      const loss = await readScalar(out['loss'] as OrtTensor, 'loss');
      return { loss, grads, tokens: batch.tokens, next: batch.next };
    },
    async evaluate(params) {
      const adapters = feedParams(runtime, shapes, params);
      const allProbs: number[] = [];
      const labels: number[] = [];
      let lossSum = 0;
      for (const batch of validation) {
        const out = await evalSession.run({ ...context.base, ...adapters, ...batchFeeds(batch) });
        const logits = await readFloat32(out['logits'] as OrtTensor, 'classifier logits');
        const probs = probabilitiesFromLogits(logits, batch.rows, data.classes);
        for (let r = 0; r < batch.rows; r++) {
          const actual = batch.classIndex[r] as number;
          lossSum -= Math.log(Math.max(probs[r * data.classes + actual] as number, 1e-12));
          labels.push(actual);
        }
        allProbs.push(...probs);
      }
      const metrics = classifierMetrics(allProbs, labels, data.classes);
      return { loss: labels.length === 0 ? 0 : lossSum / labels.length, count: labels.length, metrics };
    },
    async dispose() {
      await trainSession.dispose();
      await evalSession.dispose();
    },
  };
}
