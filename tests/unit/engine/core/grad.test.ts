import { describe, expect, it } from 'vitest';
import {
  Graph,
  NON_DIFFERENTIABLE,
  type OpType,
  type Tensor,
  evaluate,
  grad,
  gradRules,
} from '../../../../src/engine/index.ts';
import { gradCases } from './grad-cases.ts';
import { closeness, gradientCheck, makeRng, randomInput } from './helpers.ts';

describe('gradient rules match central finite differences (float64) and run on onnxruntime-node', () => {
  for (const c of gradCases) {
    it(c.name, async () => {
      for (const r of await gradientCheck(c)) {
        expect(closeness(r.analytic, r.numeric, 1e-7, 1e-6), `${c.name}: d/d${r.name}`).toBeLessThanOrEqual(
          1,
        );
        expect(closeness(r.ort, r.analytic, 1e-4, 1e-4), `${c.name}: ORT d/d${r.name}`).toBeLessThanOrEqual(
          1,
        );
      }
    });
  }

  it('has a case for every differentiable op', () => {
    const covered = new Set<OpType>();
    for (const c of gradCases) {
      const g = new Graph();
      const x: Record<string, Tensor> = {};
      for (const [name, spec] of Object.entries(c.inputs)) x[name] = g.input(name, spec.dtype, spec.shape);
      c.build(g, x);
      for (const n of g.nodes) covered.add(n.op);
    }
    // StopGradient's rule (no gradient) is checked in 'autodiff mechanics': finite differences see through it.
    const differentiable = (Object.keys(gradRules) as OpType[]).filter(
      (op) => gradRules[op] !== NON_DIFFERENTIABLE && op !== 'StopGradient',
    );
    expect(differentiable.filter((op) => !covered.has(op))).toEqual([]);
  });
});

describe('autodiff mechanics', () => {
  it('StopGradient blocks the gradient: d/dx Σ x·stop(x) = x', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [4]);
    const loss = g.reduceSum(g.mul(x, g.stopGradient(x)), [0]);
    const [dx] = grad(g, loss, [x]);
    const feed = randomInput({ dtype: 'float32', shape: [4] }, makeRng(3));
    expect(Array.from(evaluate(g, { x: feed }, [dx!])[0]!.data)).toEqual(Array.from(feed.data));
  });

  it('returns null for a tensor that does not reach the loss, and emits nothing for it', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [3]);
    const unused = g.input('unused', 'float32', [3]);
    g.exp(unused);
    const before = g.nodes.length;
    const loss = g.reduceSum(g.mul(x, x), [0]);
    const [dx, du] = grad(g, loss, [x, unused]);
    expect(du).toBeNull();
    expect(dx).not.toBeNull();
    const backward = g.nodes.slice(before + 2);
    expect(backward.some((n) => n.inputs.some((t) => t === unused))).toBe(false);
  });

  it('does not differentiate branches that only feed integer or constant paths', () => {
    const g = new Graph();
    const w = g.input('w', 'float32', [3]);
    const frozen = g.input('frozen', 'float32', [3]);
    const loss = g.reduceSum(g.mul(g.exp(frozen), w), [0]);
    const before = g.nodes.length;
    grad(g, loss, [w]);
    // d/dw = exp(frozen) (already computed): only the ReduceSum broadcast and the Mul are emitted.
    const ops = g.nodes.slice(before).map((n) => n.op);
    expect(ops).not.toContain('Exp');
    expect(ops.length).toBeLessThanOrEqual(3);
  });

  it('rejects a non-scalar loss without a seed and a non-float wrt', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [3]);
    const ids = g.input('ids', 'int32', [3]);
    expect(() => grad(g, g.exp(x), [x])).toThrow(/loss must be a scalar, got \[3\]/);
    expect(() => grad(g, g.reduceSum(x, [0]), [ids])).toThrow(
      /cannot differentiate with respect to ids: int32\[3\]/,
    );
  });
});
