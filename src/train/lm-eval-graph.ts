/**
 * Loss-only graph for causal-LM validation: the train-step graph's forward and masked cross-entropy
 * without gradients (and without dropout masks).
 *   inputs  input_ids, labels [batch, seq] int32, loss_mask [batch, seq] float32, weights, LoRA tensors
 *   output  loss [] (mean over the tokens whose mask is 1)
 */
import type { ModelConfig } from '../engine/arch/config.ts';
import { forward, lmHead } from '../engine/arch/forward.ts';
import type { LoraConfig } from '../engine/arch/lora.ts';
import { Graph } from '../engine/builder.ts';
import { crossEntropy } from '../engine/graphs/losses.ts';
import { causalForwardInputs } from '../engine/graphs/train-lm.ts';
import { bindLora, bindWeights } from '../engine/graphs/weights.ts';

export function buildLmLossGraph(config: ModelConfig, lora: LoraConfig): Graph {
  const g = new Graph();
  const weights = bindWeights(g, config, { kind: 'inputs' });
  const adapters = bindLora(g, config, lora, false);
  const inputs = causalForwardInputs(g, config);
  const labels = g.input('labels', 'int32', ['batch', 'seq']);
  const lossMask = g.input('loss_mask', 'float32', ['batch', 'seq']);
  const { hidden } = forward(g, config, weights.lookup, adapters.lookup, inputs); // (N, C)
  const logits = lmHead(g, config, weights.lookup, hidden); // (N, V)
  g.output('loss', crossEntropy(g, logits, g.reshape(labels, [-1]), g.reshape(lossMask, [-1])));
  return g;
}
