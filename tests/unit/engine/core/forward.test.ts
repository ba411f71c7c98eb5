import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NdArray,
  type OpType,
  type Tensor,
  evaluate,
  gradRules,
} from '../../../../src/engine/index.ts';
import { forwardCases } from './forward-cases.ts';
import { closeness, makeRng, randomInput, runOnOrt } from './helpers.ts';

function buildCase(c: (typeof forwardCases)[number]) {
  const g = new Graph();
  const rng = makeRng(7);
  const x: Record<string, Tensor> = {};
  const feeds: Record<string, NdArray> = {};
  for (const [name, spec] of Object.entries(c.inputs)) {
    x[name] = g.input(name, spec.dtype, spec.shape);
    feeds[name] = randomInput(spec, rng);
  }
  const built = c.build(g, x);
  const outputs = Array.isArray(built) ? built : [built];
  outputs.forEach((t, i) => g.output(`y${i}`, t));
  return { g, feeds, outputs };
}

describe('engine ops: ONNX on onnxruntime-node matches the float64 interpreter', () => {
  for (const c of forwardCases) {
    it(c.name, async () => {
      const { g, feeds, outputs } = buildCase(c);
      const expected = evaluate(g, feeds, outputs);
      const actual = await runOnOrt(g, feeds);
      outputs.forEach((t, i) => {
        const got = actual[`y${i}`]!;
        expect(got.shape).toEqual(expected[i]!.shape);
        expect(got.dtype).toBe(t.dtype);
        expect(closeness(got, expected[i]!, c.atol ?? 1e-5, 1e-5)).toBeLessThanOrEqual(1);
      });
    });
  }

  it('covers every op', () => {
    const seen = new Set<OpType>();
    for (const c of forwardCases) for (const n of buildCase(c).g.nodes) seen.add(n.op);
    const all = Object.keys(gradRules) as OpType[];
    expect(all.filter((op) => !seen.has(op))).toEqual([]);
  });
});
