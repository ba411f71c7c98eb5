import { nodeRuntime } from '../../../../src/runtime/ort-node.ts';
import type { OrtTensor } from '../../../../src/runtime/types.ts';
import {
  Graph,
  type NdArray,
  type Tensor,
  evaluate,
  exportOnnx,
  grad,
} from '../../../../src/engine/index.ts';
import type { DType } from '../../../../src/engine/index.ts';

/** mulberry32: a small seeded generator so every test input is reproducible. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface InputSpec {
  dtype: DType;
  shape: readonly number[];
  /** Uniform range for floats (default [-1, 1]); integers are drawn from [lo, hi). */
  range?: readonly [number, number];
  /** Exact values instead of random ones. */
  values?: readonly number[];
}

export function randomInput(spec: InputSpec, rng: () => number): NdArray {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const [lo, hi] = spec.range ?? (spec.dtype === 'float32' ? [-1, 1] : [0, 2]);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (spec.values) data[i] = spec.values[i]!;
    else if (spec.dtype === 'float32') data[i] = Math.fround(lo + (hi - lo) * rng());
    else data[i] = Math.floor(lo + (hi - lo) * rng());
  }
  return { dtype: spec.dtype, shape: [...spec.shape], data };
}

function toOrt(a: NdArray): OrtTensor {
  const t = nodeRuntime.tensors;
  switch (a.dtype) {
    case 'float32':
      return t.float32(Float32Array.from(a.data), a.shape);
    case 'int32':
      return t.int32(Int32Array.from(a.data), a.shape);
    case 'int64':
      return t.int64(
        BigInt64Array.from(a.data, (v) => BigInt(v)),
        a.shape,
      );
    case 'bool':
      return t.bool(Uint8Array.from(a.data), a.shape);
  }
}

/** Exports the graph, runs it on onnxruntime-node (CPU) and returns every output as float64. */
export async function runOnOrt(g: Graph, feeds: Record<string, NdArray>): Promise<Record<string, NdArray>> {
  const session = await nodeRuntime.createSession(exportOnnx(g), { label: 'engine test' });
  try {
    const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, toOrt(v)]));
    const out = await session.run(ortFeeds);
    const result: Record<string, NdArray> = {};
    for (const { name, tensor } of g.outputs) {
      const o = out[name]!;
      const data = Float64Array.from(o.data as ArrayLike<number | bigint>, (v) => Number(v));
      result[name] = { dtype: tensor.dtype, shape: [...o.dims], data };
    }
    return result;
  } finally {
    await session.dispose();
  }
}

/** max |a - b| / (atol + rtol |b|) over all elements: <= 1 means close. */
export function closeness(a: NdArray, b: NdArray, atol: number, rtol: number): number {
  expectSameShape(a, b);
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y) ? worst : Infinity;
    worst = Math.max(worst, Math.abs(x - y) / (atol + rtol * Math.abs(y)));
  }
  return worst;
}

function expectSameShape(a: NdArray, b: NdArray): void {
  if (a.shape.join(',') !== b.shape.join(',')) {
    throw new Error(`shape mismatch [${a.shape.join(', ')}] vs [${b.shape.join(', ')}]`);
  }
}

export interface GradCase {
  name: string;
  inputs: Record<string, InputSpec & { differentiable?: boolean }>;
  build: (g: Graph, x: Record<string, Tensor>) => Tensor;
}

/**
 * Builds loss = Σ(f(x) ⊙ r) with a fixed random r, takes grad, and returns, per differentiable input,
 * the autodiff gradient (interpreter, float64), the central-difference estimate, and the ONNX graph's
 * gradient on onnxruntime-node (float32).
 */
export async function gradientCheck(
  c: GradCase,
  seed = 1,
): Promise<{ name: string; analytic: NdArray; numeric: NdArray; ort: NdArray }[]> {
  const rng = makeRng(seed);
  const g = new Graph();
  const tensors: Record<string, Tensor> = {};
  const feeds: Record<string, NdArray> = {};
  for (const [name, spec] of Object.entries(c.inputs)) {
    tensors[name] = g.input(name, spec.dtype, spec.shape);
    feeds[name] = randomInput(spec, rng);
  }
  const y = c.build(g, tensors);
  const rShape = y.shape as number[];
  const r = randomInput({ dtype: 'float32', shape: rShape }, rng);
  const rT = g.constant('projection', 'float32', rShape, r.data);
  const all = Array.from({ length: y.rank }, (_, i) => i);
  const loss = y.rank === 0 ? g.mul(y, rT) : g.reduceSum(g.mul(y, rT), all);
  const names = Object.keys(c.inputs).filter(
    (n) => c.inputs[n]!.differentiable ?? c.inputs[n]!.dtype === 'float32',
  );
  const grads = grad(
    g,
    loss,
    names.map((n) => tensors[n]!),
  );
  g.output('loss', loss);
  names.forEach((n, i) => {
    const d = grads[i];
    if (!d) throw new Error(`${c.name}: no gradient reaches ${n}`);
    g.output(`grad.${n}`, d);
  });
  const analytic = evaluate(g, feeds, grads as Tensor[]);
  const ort = await runOnOrt(g, feeds);
  const lossAt = (name: string, i: number, delta: number): number => {
    const shifted = { ...feeds, [name]: { ...feeds[name]!, data: Float64Array.from(feeds[name]!.data) } };
    shifted[name]!.data[i]! += delta;
    return evaluate(g, shifted, [loss])[0]!.data[0]!;
  };
  const h = 1e-6;
  return names.map((name, k) => {
    const base = feeds[name]!;
    const numeric = new Float64Array(base.data.length);
    for (let i = 0; i < numeric.length; i++)
      numeric[i] = (lossAt(name, i, h) - lossAt(name, i, -h)) / (2 * h);
    return {
      name,
      analytic: analytic[k]!,
      numeric: { dtype: 'float32', shape: base.shape, data: numeric },
      ort: ort[`grad.${name}`]!,
    };
  });
}
