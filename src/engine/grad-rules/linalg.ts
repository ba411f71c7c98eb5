import type { Graph } from '../builder.ts';
import { type GradRuleTable, ifNeeded } from '../autodiff/grad-rule.ts';
import { unbroadcast } from '../autodiff/shape-grad.ts';
import type { Tensor } from '../graph.ts';

/** Swaps the last two axes. */
function swapLast(g: Graph, t: Tensor): Tensor {
  const perm = Array.from({ length: t.rank }, (_, i) => i);
  perm[t.rank - 1] = t.rank - 2;
  perm[t.rank - 2] = t.rank - 1;
  return g.transpose(t, perm);
}

function leadingAxes(t: Tensor): number[] {
  return Array.from({ length: t.rank - 1 }, (_, i) => i);
}

export const linalgGradRules: GradRuleTable<'MatMul' | 'Gemm' | 'Softmax' | 'LayerNormalization'> = {
  // y = a @ b: da = dy @ bᵀ, db = aᵀ @ dy, each summed over broadcast batch dims.
  MatMul: (c) => {
    const { g, dy } = c;
    const [a, b] = [c.x[0]!, c.x[1]!];
    const plain2d = a.rank === 2 && b.rank === 2;
    return [
      ifNeeded(c, 0, () => {
        if (plain2d) return g.gemm(dy, b, { transB: true });
        if (b.rank === 2) {
          // (B*T, N) x (K, N)ᵀ as one GEMM, reshaped back like `a`: no per-step Transpose of the weight.
          const n = dy.shape[dy.rank - 1]!;
          return g.reshape(g.gemm(g.reshape(dy, [-1, n]), b, { transB: true }), a.shape, a);
        }
        return unbroadcast(g, g.matmul(dy, swapLast(g, b)), a.shape);
      }),
      ifNeeded(c, 1, () => {
        if (plain2d) return g.gemm(a, dy, { transA: true });
        if (b.rank === 2) {
          // A shared weight [K, N]: one GEMM over all batch rows, (B*T, K)ᵀ x (B*T, N).
          const k = a.shape[a.rank - 1]!;
          const n = dy.shape[dy.rank - 1]!;
          return g.gemm(g.reshape(a, [-1, k]), g.reshape(dy, [-1, n]), { transA: true });
        }
        return unbroadcast(g, g.matmul(swapLast(g, a), dy), b.shape);
      }),
    ];
  },
  // y = a' b' with ' an optional transpose.
  Gemm: (c) => {
    const { g, dy } = c;
    const [a, b] = [c.x[0]!, c.x[1]!];
    const { transA, transB } = c.node.attrs;
    return [
      ifNeeded(c, 0, () =>
        transA ? g.gemm(b, dy, { transA: transB, transB: true }) : g.gemm(dy, b, { transB: !transB }),
      ),
      ifNeeded(c, 1, () =>
        transB ? g.gemm(dy, a, { transA: true, transB: transA }) : g.gemm(a, dy, { transA: !transA }),
      ),
    ];
  },
  // dx = y ⊙ (dy − Σ(dy ⊙ y))
  Softmax: (c) => {
    const { g, dy } = c;
    const y = c.y[0]!;
    const axis = c.node.attrs.axis;
    return [ifNeeded(c, 0, () => g.mul(y, g.sub(dy, g.reduceSum(g.mul(dy, y), [axis], true))))];
  },
  // Recomputes x̂ = (x − μ)·rstd; dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)) with dx̂ = dy ⊙ scale.
  LayerNormalization: (c) => {
    const { g, dy } = c;
    const [x, scale] = [c.x[0]!, c.x[1]!];
    let cache: { rstd: Tensor; xhat: Tensor } | undefined;
    const normalized = () => {
      if (cache) return cache;
      const centered = g.sub(x, g.reduceMean(x, [-1], true));
      const variance = g.reduceMean(g.mul(centered, centered), [-1], true);
      const rstd = g.reciprocal(g.sqrt(g.add(variance, c.node.attrs.epsilon)));
      cache = { rstd, xhat: g.mul(centered, rstd) };
      return cache;
    };
    const sumLeading = (t: Tensor) => (x.rank === 1 ? t : g.reduceSum(t, leadingAxes(x)));
    return [
      ifNeeded(c, 0, () => {
        const { rstd, xhat } = normalized();
        const dxhat = g.mul(dy, scale);
        const meanD = g.reduceMean(dxhat, [-1], true);
        const meanDX = g.reduceMean(g.mul(dxhat, xhat), [-1], true);
        return g.mul(rstd, g.sub(g.sub(dxhat, meanD), g.mul(xhat, meanDX)));
      }),
      ifNeeded(c, 1, () => sumLeading(g.mul(dy, normalized().xhat))),
      ifNeeded(c, 2, () => sumLeading(dy)),
    ];
  },
};
