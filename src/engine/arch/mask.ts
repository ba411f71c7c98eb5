/**
 * Which keys each query may attend to: causal order, combined with a key padding mask when given, as an
 * additive bias on the attention scores. A small bias added to the scores is cheaper than a Where over all of
 * them, and its gradient is the identity, so the backward pass needs no mask op at all.
 * Positions come from arangeOf (a sliced constant table), never from an int64 Range, and the
 * comparisons run in float32, so the whole mask stays on the WebGPU EP.
 */
import type { Graph } from '../builder.ts';
import type { Tensor } from '../graph.ts';

/** Far below any score yet finite: score + MASKED stays finite, and its exp() is exactly 0. */
const MASKED = -1e30;

/** [0, 1, ..., n) - n for the length n of `anchor`'s axis 1, so the last element is -1. */
function offsetsFromEnd(g: Graph, anchor: Tensor, maxLength: number): Tensor {
  const index = g.arangeOf(anchor, 1, { maxLength, dtype: 'float32' }); // (n)
  return g.sub(index, g.add(g.reduceMax(index, [0], true), 1));
}

/**
 * queryAnchor: (B, T), e.g. the input ids; keyMask: (B, S) int32 attention mask over past and current
 * tokens (1 = real, 0 = padding), or null without cache and padding. Query t sits at key S - T + t.
 * Returns 0 where the key is visible and MASKED elsewhere: (B, 1, 1, T, S) with a key mask, (T, T) without;
 * both broadcast in `attention`. A fully masked row (a pad query) gets uniform weights, never NaN.
 */
export function attentionBias(
  g: Graph,
  queryAnchor: Tensor,
  keyMask: Tensor | null,
  maxLength: number,
): Tensor {
  const queries = offsetsFromEnd(g, queryAnchor, maxLength); // (T)
  const keys = keyMask ? offsetsFromEnd(g, keyMask, maxLength) : queries; // (S)
  const causal = g.lessOrEqual(g.unsqueeze(keys, [0]), g.unsqueeze(queries, [1])); // (T, S)
  const present = keyMask ? g.greater(g.cast(keyMask, 'float32'), 0) : null; // (B, S)
  const allowed = present ? g.and(g.unsqueeze(present, [1, 2, 3]), causal) : causal; // (B, 1, 1, T, S) or (T, S)
  return g.where(allowed, 0, MASKED);
}
