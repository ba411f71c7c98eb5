import { describe, expect, it } from 'vitest';
import type { Graph, Tensor } from '../../../../src/engine/index.ts';
import { type GradCase, closeness, gradientCheck } from './helpers.ts';

const B = 2;
const T = 3;
const C = 4;
const H = 2;
const D = C / H;
const V = 5;

/** x / sqrt(mean(x²) + eps) * w, composed from primitives. */
function rmsNorm(g: Graph, x: Tensor, w: Tensor): Tensor {
  return g.mul(g.div(x, g.sqrt(g.add(g.reduceMean(g.mul(x, x), [-1], true), 1e-5))), w);
}

/** (B, T, C) -> (B, H, T, D) */
function heads(g: Graph, x: Tensor): Tensor {
  return g.transpose(g.reshape(x, [B, T, H, D]), [0, 2, 1, 3]);
}

/**
 * Embedding -> pre-LN causal self-attention -> residual -> RMS-normed GELU MLP -> residual -> tied
 * LM head -> masked softmax cross-entropy. Every weight (and the embedding table, used twice) is
 * differentiated at once.
 */
const transformerBlock: GradCase = {
  name: 'attention block + MLP + cross-entropy',
  inputs: {
    ids: { dtype: 'int32', shape: [B, T], values: [1, 4, 1, 0, 2, 3] },
    targets: { dtype: 'int32', shape: [B, T], values: [4, 1, 0, 2, 3, 3] },
    lossMask: { dtype: 'float32', shape: [B, T], values: [1, 1, 0, 1, 1, 1], differentiable: false },
    embed: { dtype: 'float32', shape: [V, C] },
    lnW: { dtype: 'float32', shape: [C], range: [0.5, 1.5] },
    lnB: { dtype: 'float32', shape: [C] },
    wqkv: { dtype: 'float32', shape: [C, 3 * C] },
    wo: { dtype: 'float32', shape: [C, C] },
    rmsW: { dtype: 'float32', shape: [C], range: [0.5, 1.5] },
    w1: { dtype: 'float32', shape: [C, 2 * C] },
    b1: { dtype: 'float32', shape: [2 * C] },
    w2: { dtype: 'float32', shape: [2 * C, C] },
  },
  build: (g, x) => {
    const h0 = g.gather(x.embed!, x.ids!); // (B, T, C)
    const [q, k, v] = g
      .split(g.matmul(g.layerNorm(h0, x.lnW!, x.lnB!), x.wqkv!), -1, [C, C, C])
      .map((t) => heads(g, t));
    const scores = g.mul(g.matmul(q!, g.transpose(k!, [0, 1, 3, 2])), 1 / Math.sqrt(D)); // (B, H, T, T)
    const pos = g.arangeOf(x.ids!, 1, { maxLength: 16, dtype: 'float32' }); // (T)
    const causal = g.lessOrEqual(g.unsqueeze(pos, [0]), g.unsqueeze(pos, [1])); // (T, T)
    const attn = g.matmul(g.softmax(g.where(causal, scores, -1e9)), v!); // (B, H, T, D)
    const merged = g.reshape(g.transpose(attn, [0, 2, 1, 3]), [B, T, C]);
    const h1 = g.add(h0, g.matmul(merged, x.wo!));
    const mlp = g.matmul(g.gelu(g.add(g.matmul(rmsNorm(g, h1, x.rmsW!), x.w1!), x.b1!), 'tanh'), x.w2!);
    const h2 = g.add(h1, mlp);
    const logits = g.matmul(h2, g.transpose(x.embed!, [1, 0])); // (B, T, V), tied head
    const shifted = g.sub(logits, g.stopGradient(g.reduceMax(logits, [-1], true)));
    const logProbs = g.sub(shifted, g.log(g.reduceSum(g.exp(shifted), [-1], true)));
    const picked = g.squeeze(g.gatherElements(logProbs, g.unsqueeze(x.targets!, [-1]), 2), [-1]); // (B, T)
    const total = g.reduceSum(g.mul(g.neg(picked), x.lossMask!), [0, 1]);
    return g.div(total, g.reduceSum(x.lossMask!, [0, 1]));
  },
};

describe('a whole transformer block', () => {
  it('gradients of every parameter match central finite differences and onnxruntime-node', async () => {
    const results = await gradientCheck(transformerBlock, 5);
    expect(results.map((r) => r.name)).toEqual([
      'embed',
      'lnW',
      'lnB',
      'wqkv',
      'wo',
      'rmsW',
      'w1',
      'b1',
      'w2',
    ]);
    for (const r of results) {
      expect(closeness(r.analytic, r.numeric, 1e-7, 1e-5), `d/d${r.name}`).toBeLessThanOrEqual(1);
      expect(closeness(r.ort, r.analytic, 1e-5, 1e-3), `ORT d/d${r.name}`).toBeLessThanOrEqual(1);
    }
  });
});
