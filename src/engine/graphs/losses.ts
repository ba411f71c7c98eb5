/**
 * Losses built from ops that run on every backend (no LogSoftmax, no SoftmaxCrossEntropyLoss, no
 * OneHot: the WebGPU EP lacks kernels for them). Each returns a weighted mean: sum(w * l) / sum(w).
 */
import type { Graph } from '../builder.ts';
import type { Tensor } from '../graph.ts';

/** sum(weights * values) / max(sum(weights), tiny): zero weights everywhere give loss 0, not NaN. */
function weightedMean(g: Graph, values: Tensor, weights: Tensor): Tensor {
  const total = g.reduceSum(g.mul(values, weights), [0]);
  return g.div(total, g.max(g.reduceSum(weights, [0]), 1e-12));
}

/**
 * Softmax cross-entropy. logits: (N, K) float32; labels: (N) int32 class ids; weights: (N) float32.
 * Returns a scalar.
 */
export function crossEntropy(g: Graph, logits: Tensor, labels: Tensor, weights: Tensor): Tensor {
  const probs = g.softmax(logits, -1); // (N, K)
  const picked = g.gatherElements(probs, g.unsqueeze(labels, [1]), 1); // (N, 1)
  const nll = g.neg(g.log(g.reshape(picked, [labels.shape[0] as number | string]))); // (N)
  return weightedMean(g, nll, weights);
}

/**
 * Softmax cross-entropy for a large vocabulary, with its gradient written out instead of derived:
 * d(loss)/d(logits) = (softmax - onehot(label)) * w / sum(w). Feeding `dlogits` as the seed of grad(logits)
 * spares the scatter and the softmax backward over (N, V) that autodiff of `crossEntropy` would emit, the
 * largest tensors of a language-model train step. Same inputs and loss as crossEntropy.
 */
export function crossEntropyWithGradient(
  g: Graph,
  logits: Tensor,
  labels: Tensor,
  weights: Tensor,
): { loss: Tensor; dlogits: Tensor } {
  const probs = g.softmax(logits, -1); // (N, V)
  const column = g.unsqueeze(labels, [1]); // (N, 1)
  const picked = g.reshape(g.gatherElements(probs, column, 1), [labels.shape[0] as number | string]); // (N)
  const denominator = g.max(g.reduceSum(weights, [0]), 1e-12);
  const loss = g.div(g.reduceSum(g.mul(g.neg(g.log(picked)), weights), [0]), denominator);
  const classes = g.arangeOf(logits, 1, { maxLength: logits.shape[1] as number, dtype: 'int32' }); // (V)
  const onehot = g.cast(g.equal(classes, column), 'float32'); // (N, V)
  const rowScale = g.unsqueeze(g.div(weights, denominator), [1]); // (N, 1)
  return { loss, dlogits: g.mul(g.sub(probs, onehot), rowScale) };
}

/**
 * Binary cross-entropy on one logit per example, in the overflow-free form
 * max(z, 0) - z*y + log(1 + exp(-|z|)). logits, targets (0 or 1), weights: (N) float32.
 */
export function binaryCrossEntropy(g: Graph, logits: Tensor, targets: Tensor, weights: Tensor): Tensor {
  const softplusTail = g.log(g.add(g.exp(g.neg(g.abs(logits))), 1));
  const loss = g.add(g.sub(g.relu(logits), g.mul(logits, targets)), softplusTail);
  return weightedMean(g, loss, weights);
}
