/**
 * Train-step graph for causal language modelling: forward, masked next-token cross-entropy, and
 * reverse-mode gradients, in one ONNX graph.
 *   inputs  input_ids [batch, seq] int32, labels [batch, seq] int32 (the next token at each position),
 *           loss_mask [batch, seq] float32 (1 where the label counts), plus the trainable tensors
 *   outputs loss [], grad.<name> for every trainable tensor (shaped like it)
 * LoRA: the adapters are inputs named as PEFT saves them; the base weights are initializers or inputs. With
 * lora.dropout > 0 each adapted module also takes lora_dropout.<module> [batch, seq, in] (loraDropoutMasks).
 * Full: every weight is an input and trainable (the pretraining step).
 * Sequences are right-padded (pads after the text, loss_mask 0): causal attention keeps them out of
 * every real position, so the graph needs no attention mask.
 */
import { grad } from '../autodiff/grad.ts';
import { Graph } from '../builder.ts';
import type { Tensor } from '../graph.ts';
import type { ModelConfig } from '../arch/config.ts';
import { forward, lmHead } from '../arch/forward.ts';
import type { LoraConfig } from '../arch/lora.ts';
import { attentionBias } from '../arch/mask.ts';
import { noLora } from '../arch/model.ts';
import { crossEntropyWithGradient } from './losses.ts';
import { bindLora, bindWeights, type WeightSource } from './weights.ts';

export type Trainable = { kind: 'lora'; lora: LoraConfig; weights: WeightSource } | { kind: 'all' };

export interface TrainGraph {
  graph: Graph;
  /** Trainable tensor names in output order; the gradient of `name` is output `grad.${name}`. */
  trainable: string[];
}

export const gradName = (name: string): string => `grad.${name}`;

/** Runs the model on input_ids with positions 0..T-1 and causal attention; returns (N, C) hidden states. */
export function causalForwardInputs(
  g: Graph,
  config: ModelConfig,
): { ids: Tensor; positions: Tensor; attentionBias: Tensor } {
  const ids = g.input('input_ids', 'int32', ['batch', 'seq']);
  const positions = g.arangeOf(ids, 1, { maxLength: config.maxPositions, dtype: 'int32' }); // (T)
  const bias = attentionBias(g, ids, null, config.maxPositions); // (T, T)
  return { ids, positions, attentionBias: bias };
}

/**
 * Adds `grad.<name>` outputs for `wrt` and returns the names in order. `seed`, when given, is the known
 * gradient of the loss with respect to `from` (e.g. the logits), where backpropagation starts.
 */
export function addGradients(
  g: Graph,
  from: Tensor,
  wrt: ReadonlyMap<string, Tensor>,
  seed?: Tensor,
): string[] {
  const names = [...wrt.keys()];
  const grads = grad(g, from, [...wrt.values()], seed);
  names.forEach((name, i) => {
    const d = grads[i];
    if (!d) throw new Error(`train graph: "${name}" does not reach the loss`);
    g.output(gradName(name), d);
  });
  return names;
}

export function buildLmTrainGraph(config: ModelConfig, trainable: Trainable): TrainGraph {
  const g = new Graph();
  const weights = bindWeights(g, config, trainable.kind === 'all' ? { kind: 'inputs' } : trainable.weights);
  const lora = trainable.kind === 'lora' ? bindLora(g, config, trainable.lora, true) : null;
  const inputs = causalForwardInputs(g, config);
  const labels = g.input('labels', 'int32', ['batch', 'seq']);
  const lossMask = g.input('loss_mask', 'float32', ['batch', 'seq']);
  const { hidden } = forward(g, config, weights.lookup, lora?.lookup ?? noLora, inputs); // (N, C)
  const logits = lmHead(g, config, weights.lookup, hidden); // (N, V)
  const { loss, dlogits } = crossEntropyWithGradient(
    g,
    logits,
    g.reshape(labels, [-1]),
    g.reshape(lossMask, [-1]),
  );
  g.output('loss', loss);
  const names = addGradients(g, logits, lora ? lora.tensors : weights.tensors, dlogits);
  return { graph: g, trainable: names };
}

/**
 * Hugging Face label semantics -> graph inputs: lossMask[b][t] = 1 marks token t as a target
 * (predicted from position t-1), so position t's label is token t+1 under lossMask[b][t+1].
 * ids, lossMask: row-major [batch, seq].
 */
export function nextTokenTargets(
  ids: Int32Array,
  lossMask: ArrayLike<number>,
  batch: number,
  seq: number,
): { labels: Int32Array; mask: Float32Array } {
  const labels = new Int32Array(batch * seq);
  const mask = new Float32Array(batch * seq);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t + 1 < seq; t++) {
      labels[b * seq + t] = ids[b * seq + t + 1] as number;
      mask[b * seq + t] = lossMask[b * seq + t + 1] ? 1 : 0;
    }
  }
  return { labels, mask };
}
