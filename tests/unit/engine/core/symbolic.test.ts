import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NdArray,
  type Tensor,
  evaluate,
  exportOnnx,
  grad,
} from '../../../../src/engine/index.ts';
import { ModelProto } from '../../../../src/engine/onnx/schema.ts';
import { closeness, makeRng, randomInput, runOnOrt } from './helpers.ts';

type OnnxNode = { opType: string; input: string[] };

function onnxNodes(g: Graph): OnnxNode[] {
  const model = ModelProto.toObject(ModelProto.decode(exportOnnx(g))) as { graph: { node: OnnxNode[] } };
  return model.graph.node;
}

/**
 * A decode-style step with dynamic batch, sequence and past lengths: projections on flattened rows,
 * heads split back out (a run-time reshape), the cache appended ('past+seq' renamed 'total'), a
 * causal mask from compared positions (no Range), softmax attention.
 */
function decodeStep(): { g: Graph; present: Tensor; out: Tensor } {
  const g = new Graph();
  const x = g.input('x', 'float32', ['batch', 'seq', 4]);
  const past = g.input('past', 'float32', ['batch', 2, 'past', 2]);
  const mask = g.input('attention_mask', 'int32', ['batch', 'total']);
  const w = g.constant(
    'w',
    'float32',
    [4, 4],
    Array.from({ length: 16 }, (_, i) => Math.sin(i)),
  );
  const rows = g.gemm(g.reshape(x, [-1, 4]), w); // (batch*seq, 4)
  const heads = g.transpose(g.reshape(rows, ['batch', 'seq', 2, 2]), [0, 2, 1, 3]); // (B, 2, T, 2)
  const present = g.view(g.concat([past, heads], 2), ['batch', 2, 'total', 2]);
  const scores = g.matmul(heads, g.transpose(present, [0, 1, 3, 2])); // (B, 2, T, total)
  const keyPos = g.arangeOf(mask, 1, { maxLength: 32, dtype: 'float32' }); // (total)
  const queryPos = g.add(
    g.arangeOf(x, 1, { maxLength: 32, dtype: 'float32' }),
    g.sub(g.reduceMax(keyPos, [0]), g.reduceMax(g.arangeOf(x, 1, { maxLength: 32, dtype: 'float32' }), [0])),
  );
  const causal = g.lessOrEqual(g.unsqueeze(keyPos, [0]), g.unsqueeze(queryPos, [1])); // (T, total)
  const allowed = g.and(causal, g.unsqueeze(g.greater(mask, 0), [1, 2])); // (B, 1, T, total)
  const probs = g.softmax(g.where(allowed, scores, -1e9));
  const out = g.reshape(g.transpose(g.matmul(probs, present), [0, 2, 1, 3]), ['batch', 'seq', 4]);
  g.output('present', present);
  g.output('out', out);
  return { g, present, out };
}

function feeds(batch: number, seq: number, past: number, seed: number): Record<string, NdArray> {
  const rng = makeRng(seed);
  const total = past + seq;
  return {
    x: randomInput({ dtype: 'float32', shape: [batch, seq, 4] }, rng),
    past: randomInput({ dtype: 'float32', shape: [batch, 2, past, 2] }, rng),
    attention_mask: randomInput(
      {
        dtype: 'int32',
        shape: [batch, total],
        values: Array.from({ length: batch * total }, (_, i) => (i % total === 0 && i > 0 ? 0 : 1)),
      },
      rng,
    ),
  };
}

describe('symbolic dims', () => {
  it('one exported decode step runs for several batch/seq/past sizes and matches the interpreter', async () => {
    const { g, present, out } = decodeStep();
    expect(present.shape).toEqual(['batch', 2, 'total', 2]);
    expect(out.shape).toEqual(['batch', 'seq', 4]);
    for (const [batch, seq, past, seed] of [
      [1, 1, 0, 1],
      [2, 3, 4, 2],
      [3, 1, 5, 3],
    ] as const) {
      const f = feeds(batch, seq, past, seed);
      const expected = evaluate(g, f, [present, out]);
      const actual = await runOnOrt(g, f);
      expect(actual.present!.shape).toEqual([batch, 2, past + seq, 2]);
      expect(closeness(actual.present!, expected[0]!, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
      expect(closeness(actual.out!, expected[1]!, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    }
  });

  it('writes run-time shapes without int64 arithmetic: Shape() feeds Reshape/Expand/Slice directly', () => {
    const nodes = onnxNodes(decodeStep().g);
    expect(nodes.filter((n) => n.opType === 'Concat').length).toBe(1); // the KV cache itself
    expect(nodes.some((n) => ['Range', 'ConstantOfShape', 'Cast'].includes(n.opType))).toBe(false);
    const shapes = nodes.filter((n) => n.opType === 'Shape').map((n) => n.input[0]);
    // [batch, seq, 2, 2] comes from a broadcast carrier; ['batch', 'seq', 4] is the shape of input x.
    expect(shapes).toContain('x');
  });

  it('0 / -1 reshapes and static shapes are plain constants', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', ['batch', 'seq', 8]);
    const h = g.reshape(x, ['batch', 'seq', 2, 4]);
    g.output('y', g.reshape(g.expand(g.unsqueeze(h, [2]), ['batch', 'seq', 3, 2, 4]), ['batch', 'seq', -1]));
    const ops = onnxNodes(g).map((n) => n.opType);
    expect(ops).toEqual(['Reshape', 'Unsqueeze', 'Expand', 'Reshape']);
  });

  it('gradients of a graph with symbolic batch and seq run for two sizes (weight grads as one GEMM)', async () => {
    const g = new Graph();
    const x = g.input('x', 'float32', ['batch', 'seq', 3]);
    const w = g.input('w', 'float32', [3, 5]);
    const b = g.input('b', 'float32', [5]);
    const h = g.tanh(g.add(g.matmul(x, w), b));
    const loss = g.reduceMean(g.mul(h, h), [0, 1, 2]);
    const [dw, db, dx] = grad(g, loss, [w, b, x]) as Tensor[];
    g.output('dw', dw!);
    g.output('db', db!);
    g.output('dx', dx!);
    const ops = onnxNodes(g).map((n) => n.opType);
    expect(ops).not.toContain('Transpose');
    expect(ops).not.toContain('Concat');
    for (const [batch, seq] of [
      [1, 1],
      [4, 3],
    ] as const) {
      const rng = makeRng(batch);
      const f = {
        x: randomInput({ dtype: 'float32', shape: [batch, seq, 3] }, rng),
        w: randomInput({ dtype: 'float32', shape: [3, 5] }, rng),
        b: randomInput({ dtype: 'float32', shape: [5] }, rng),
      };
      const expected = evaluate(g, f, [dw!, db!, dx!]);
      const actual = await runOnOrt(g, f);
      expect(closeness(actual.dw!, expected[0]!, 1e-6, 1e-4)).toBeLessThanOrEqual(1);
      expect(closeness(actual.db!, expected[1]!, 1e-6, 1e-4)).toBeLessThanOrEqual(1);
      expect(closeness(actual.dx!, expected[2]!, 1e-6, 1e-4)).toBeLessThanOrEqual(1);
    }
  });

  it('next-token shifts on a symbolic sequence: shapes, values and gradients for two lengths', async () => {
    const g = new Graph();
    const x = g.input('x', 'float32', ['batch', 'seq', 3]);
    const inputs = g.slice(x, 1, 0, -1); // [batch, seq-1, 3]
    const targets = g.slice(x, 1, 1); // [batch, seq-1, 3]
    expect(inputs.shape).toEqual(['batch', 'seq-1', 3]);
    expect(g.slice(x, 1, -1).shape).toEqual(['batch', 1, 3]);
    expect(g.concat([inputs, g.slice(x, 1, -1)], 1).shape).toEqual(['batch', 'seq', 3]);
    const loss = g.reduceSum(g.mul(g.tanh(inputs), targets), [0, 1, 2]);
    const [dx] = grad(g, loss, [x]);
    g.output('loss', loss);
    g.output('dx', dx!);
    for (const seq of [2, 5]) {
      const f = { x: randomInput({ dtype: 'float32', shape: [2, seq, 3] }, makeRng(seq)) };
      const expected = evaluate(g, f, [loss, dx!]);
      const actual = await runOnOrt(g, f);
      expect(closeness(actual.loss!, expected[0]!, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
      expect(closeness(actual.dx!, expected[1]!, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
      // d/dx[t] = (1 - tanh²(x[t])) x[t+1] for t < seq-1, plus tanh(x[t-1]) for t > 0.
      const xs = f.x.data;
      const at = (t: number, k: number) => xs[t * 3 + k]!;
      const want = (t: number, k: number) =>
        (t < seq - 1 ? (1 - Math.tanh(at(t, k)) ** 2) * at(t + 1, k) : 0) +
        (t > 0 ? Math.tanh(at(t - 1, k)) : 0);
      expect(expected[1]!.data[3 * 1 + 2]).toBeCloseTo(want(1, 2), 12);
    }
  });

  it('derived dims cancel: [batch, seq, 8] -> [-1, 8] -> [batch, seq, 2, 4]', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', ['batch', 'seq', 8]);
    const flat = g.reshape(x, [-1, 8]);
    expect(flat.shape).toEqual(['batch*seq', 8]);
    expect(g.reshape(flat, ['batch', 'seq', 2, 4]).shape).toEqual(['batch', 'seq', 2, 4]);
    expect(g.reshape(flat, [-1, 'seq', 8]).shape).toEqual(['batch', 'seq', 8]);
    const past = g.input('past', 'float32', ['batch', 'past', 8]);
    expect(g.concat([past, x, x], 1).shape).toEqual(['batch', 'past+seq+seq', 8]);
  });
});
