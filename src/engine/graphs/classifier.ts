/**
 * Sequence classifier (humor / sentiment scorer), as transformers' *ForSequenceClassification defines
 * it: the hidden state of each row's last non-pad token through `score.weight` [K, C] (no bias).
 *   inputs  input_ids, attention_mask [batch, seq] int32 (1 = token, 0 = pad; left or right padding),
 *           score.weight [K, C], LoRA tensors (PEFT names) when given
 *   outputs logits [batch, K]
 * With `train`, also labels [batch] (float32 0/1 when K = 1: binary cross-entropy; int32 class ids
 * when K >= 2: softmax cross-entropy) and sample_weight [batch] float32 (class weights looked up per
 * row, or ones), giving loss = sum(w * l) / sum(w) and grad.<name> for score.weight and every LoRA tensor.
 */
import { Graph } from '../builder.ts';
import type { Tensor } from '../graph.ts';
import type { ModelConfig } from '../arch/config.ts';
import { forward } from '../arch/forward.ts';
import { linear } from '../arch/layers.ts';
import type { LoraConfig } from '../arch/lora.ts';
import { attentionBias } from '../arch/mask.ts';
import { noLora } from '../arch/model.ts';
import { binaryCrossEntropy, crossEntropy } from './losses.ts';
import { addGradients, type TrainGraph } from './train-lm.ts';
import { bindLora, bindWeights, type WeightSource } from './weights.ts';

export const SCORE_WEIGHT = 'score.weight';

export interface ClassifierGraphOptions {
  numLabels: number;
  weights: WeightSource;
  lora?: LoraConfig;
  train: boolean;
}

/** (N, C) hidden states -> (B, C) at the last position whose mask is 1 (HF: argmax of index * mask). */
export function poolLastToken(
  g: Graph,
  hidden: Tensor,
  mask: Tensor,
  hiddenSize: number,
  maxLength: number,
): Tensor {
  const [batch, seq] = mask.shape;
  const index = g.arangeOf(mask, 1, { maxLength, dtype: 'float32' }); // (T)
  const last = g.reduceMax(g.mul(g.cast(mask, 'float32'), index), [1], true); // (B, 1)
  const select = g.where(g.equal(index, last), 1, 0); // (B, T) one-hot
  const rows = g.reshape(hidden, [batch as number | string, seq as number | string, hiddenSize]); // (B, T, C)
  const pooled = g.matmul(g.unsqueeze(select, [1]), rows); // (B, 1, C)
  return g.reshape(pooled, [batch as number | string, hiddenSize]);
}

export function buildClassifierGraph(config: ModelConfig, options: ClassifierGraphOptions): TrainGraph {
  const K = options.numLabels;
  if (!Number.isInteger(K) || K < 1)
    throw new Error(`classifier: numLabels must be a positive integer, got ${K}`);
  const g = new Graph();
  const weights = bindWeights(g, config, options.weights);
  const lora = options.lora ? bindLora(g, config, options.lora, options.train) : null;
  const score = g.input(SCORE_WEIGHT, 'float32', [K, config.hiddenSize]);
  const ids = g.input('input_ids', 'int32', ['batch', 'seq']);
  const mask = g.input('attention_mask', 'int32', ['batch', 'seq']);
  const positions = g.arangeOf(ids, 1, { maxLength: config.maxPositions, dtype: 'int32' }); // (T)
  const bias = attentionBias(g, ids, mask, config.maxPositions);
  const { hidden } = forward(g, config, weights.lookup, lora?.lookup ?? noLora, {
    ids,
    positions,
    attentionBias: bias,
  });
  const pooled = poolLastToken(g, hidden, mask, config.hiddenSize, config.maxPositions); // (B, C)
  const logits = linear(g, pooled, score, 'out_in'); // (B, K)
  g.output('logits', logits);
  if (!options.train) return { graph: g, trainable: [] };

  const sampleWeight = g.input('sample_weight', 'float32', ['batch']);
  const loss =
    K === 1
      ? binaryCrossEntropy(
          g,
          g.reshape(logits, ['batch']),
          g.input('labels', 'float32', ['batch']),
          sampleWeight,
        )
      : crossEntropy(g, logits, g.input('labels', 'int32', ['batch']), sampleWeight);
  g.output('loss', loss);
  const wrt = new Map<string, Tensor>([[SCORE_WEIGHT, score], ...(lora ? lora.tensors : [])]);
  return { graph: g, trainable: addGradients(g, loss, wrt) };
}
