/**
 * Transformer building blocks shared by GPT-2 and Llama.
 *
 * Hidden states stay 2-D, (N, C) with N = B*T, so every projection is one Gemm (nn.Linear's [out, in]
 * through transB, no Transpose node); only attention reshapes to heads. Attention never materialises
 * repeated key/value heads: the query heads of a group split out as their own axis,
 * (B, nh, T, hs) -> (B, kvh, g, T, hs), and meet their key/value head in a broadcast MatMul.
 */
import type { Graph } from '../builder.ts';
import type { Tensor } from '../graph.ts';
import type { Dim } from '../types.ts';

/** A low-rank adapter on one projection: y += (dropout(x) A^T) B^T * scale. */
export interface LoraPair {
  a: Tensor; // [r, in]
  b: Tensor; // [out, r]
  scale: number;
  /** (N, in) keep-mask already scaled by 1/(1-p), fed per train step; absent = no dropout. */
  dropoutMask?: Tensor;
}

/** (N, in) -> (N, out). `weight` is [out, in] (nn.Linear) or [in, out] (GPT-2 Conv1D). */
export function linear(
  g: Graph,
  x: Tensor,
  weight: Tensor,
  layout: 'out_in' | 'in_out',
  bias?: Tensor,
  lora?: LoraPair,
): Tensor {
  let y = g.gemm(x, weight, { transB: layout === 'out_in' });
  if (bias) y = g.add(y, bias);
  if (lora) {
    const dropped = lora.dropoutMask ? g.mul(x, lora.dropoutMask) : x;
    const down = g.gemm(dropped, lora.a, { transB: true }); // (N, r)
    const up = g.gemm(down, lora.b, { transB: true }); // (N, out)
    y = g.add(y, g.mul(up, lora.scale));
  }
  return y;
}

/** x / sqrt(mean(x^2) + eps) * weight over the last axis. */
export function rmsNorm(g: Graph, x: Tensor, weight: Tensor, eps: number): Tensor {
  const meanSquare = g.reduceMean(g.mul(x, x), [-1], true);
  return g.mul(g.div(x, g.sqrt(g.add(meanSquare, eps))), weight);
}

export function silu(g: Graph, x: Tensor): Tensor {
  return g.mul(x, g.sigmoid(x));
}

/** (N, heads*hs) -> (B, heads, T, hs) */
export function splitHeads(
  g: Graph,
  x: Tensor,
  batch: Dim,
  seq: Dim,
  heads: number,
  headDim: number,
): Tensor {
  return g.transpose(g.reshape(x, [batch, seq, heads, headDim]), [0, 2, 1, 3]);
}

/** (B, heads, T, hs) -> (N, heads*hs) */
export function mergeHeads(g: Graph, x: Tensor, rows: Dim, heads: number, headDim: number): Tensor {
  return g.reshape(g.transpose(x, [0, 2, 1, 3]), [rows, heads * headDim]);
}

/**
 * Rotary embedding in transformers' rotate_half convention: x*cos + rotate_half(x)*sin, with
 * rotate_half([x1, x2]) = [-x2, x1]. `sinSigned` holds [-sin, sin] over the two halves, so only a swap remains.
 * x: (B, heads, T, hs); cos, sinSigned: (B, 1, T, hs) or (T, hs)
 */
export function applyRope(g: Graph, x: Tensor, cos: Tensor, sinSigned: Tensor, headDim: number): Tensor {
  const half = headDim / 2;
  const [x1, x2] = g.split(x, -1, [half, half]) as [Tensor, Tensor];
  return g.add(g.mul(x, cos), g.mul(g.concat([x2, x1], -1), sinSigned));
}

/**
 * Appends this step's keys or values to the cache along the time axis: (B, kvh, P, hs) + (B, kvh, T, hs).
 * `keyLength` names the resulting dim (e.g. 'total', the attention mask's length) so it matches the mask.
 */
export function appendPast(g: Graph, past: Tensor | undefined, current: Tensor, keyLength?: Dim): Tensor {
  if (!past) return current;
  const joined = g.concat([past, current], 2);
  if (keyLength === undefined) return joined;
  const [b, h, , d] = joined.shape as [Dim, Dim, Dim, Dim];
  return g.view(joined, [b, h, keyLength, d]);
}

/**
 * Scaled dot-product attention with grouped key/value heads. Each key/value head serves its group of
 * query heads through a broadcast MatMul, so repeated keys and values are never materialised.
 * q: (B, nh, T, hs); k, v: (B, kvh, S, hs); bias: 0 where a key is visible, a huge negative number where it
 * is masked, broadcastable to (B, 1, 1, T, S) (see attentionBias).
 * Returns (B, nh, T, hs).
 */
export function attention(
  g: Graph,
  q: Tensor,
  k: Tensor,
  v: Tensor,
  bias: Tensor,
  heads: { numHeads: number; numKvHeads: number; headDim: number },
): Tensor {
  const [batch, , seq] = q.shape as [Dim, Dim, Dim];
  const kvh = heads.numKvHeads;
  const group = heads.numHeads / kvh;
  const hs = heads.headDim;
  const qGrouped = g.reshape(g.mul(q, 1 / Math.sqrt(hs)), [batch, kvh, group, seq, hs]); // (B, kvh, g, T, hs)
  const kT = g.unsqueeze(g.transpose(k, [0, 1, 3, 2]), [2]); // (B, kvh, 1, hs, S)
  const scores = g.matmul(qGrouped, kT); // (B, kvh, g, T, S)
  const probs = g.softmax(g.add(scores, bias), -1);
  const out = g.matmul(probs, g.unsqueeze(v, [2])); // (B, kvh, g, T, hs)
  return g.reshape(out, [batch, heads.numHeads, seq, hs]);
}
