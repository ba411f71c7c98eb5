/**
 * Per-row negative log-likelihood of given continuations, for scoring text with a causal LM (no gradients).
 *   inputs  input_ids, labels [batch, seq] int32 (labels[t] is the token that follows input_ids[t]),
 *           loss_mask [batch, seq] float32 (1 where labels[t] counts), the model weights
 *   output  row_nll [batch]: sum over t of -log p(labels[t] | input_ids[..t]) * loss_mask[t]
 * Rows are right-padded: padding after a row's last counted token cannot change its earlier positions.
 */
import type { ModelConfig } from '../arch/config.ts';
import { forward, lmHead } from '../arch/forward.ts';
import { noLora } from '../arch/model.ts';
import { Graph } from '../builder.ts';
import { causalForwardInputs } from './train-lm.ts';
import { bindWeights } from './weights.ts';

export function buildSequenceNllGraph(config: ModelConfig): Graph {
  const g = new Graph();
  const weights = bindWeights(g, config, { kind: 'inputs' });
  const inputs = causalForwardInputs(g, config);
  const labels = g.input('labels', 'int32', ['batch', 'seq']);
  const lossMask = g.input('loss_mask', 'float32', ['batch', 'seq']);
  const { hidden } = forward(g, config, weights.lookup, noLora, inputs); // (N, C)
  const logits = lmHead(g, config, weights.lookup, hidden); // (N, V)
  const probs = g.softmax(logits, -1); // (N, V)
  const picked = g.gatherElements(probs, g.reshape(labels, [-1, 1]), 1); // (N, 1)
  // Floor before the log: a probability that underflows to 0 gives a large finite cost, not Infinity.
  const nll = g.neg(g.log(g.max(picked, 1e-30))); // (N, 1)
  const perToken = g.mul(g.reshape(nll, ['batch', 'seq'], labels), lossMask); // (B, T)
  g.output('row_nll', g.reduceSum(perToken, [1]));
  return g;
}
