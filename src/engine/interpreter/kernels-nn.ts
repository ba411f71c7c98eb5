import type { ReduceAttrs } from '../op-types.ts';
import { type KernelTable, arg, axisOf } from './kernel.ts';
import { type NdArray, broadcastIndex, broadcastShape, forEachLane, sizeOf, stridesOf } from './ndarray.ts';

function reduce(
  x: NdArray,
  attrs: ReduceAttrs,
  init: number,
  step: (acc: number, v: number) => number,
  finish?: (acc: number, count: number) => number,
): NdArray {
  const rank = x.shape.length;
  const axes = attrs.axes.map((a) => axisOf(a, rank));
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Float64Array(sizeOf(keptShape)).fill(init);
  const outStrides = stridesOf(keptShape);
  const idx = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < x.data.length; flat++) {
    let o = 0;
    for (let d = 0; d < rank; d++) if (!axes.includes(d)) o += idx[d]! * outStrides[d]!;
    out[o] = step(out[o]!, x.data[flat]!);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      if (idx[d]! < x.shape[d]!) break;
      idx[d] = 0;
    }
  }
  const count = x.data.length / Math.max(out.length, 1);
  if (finish) for (let i = 0; i < out.length; i++) out[i] = finish(out[i]!, count);
  const shape = attrs.keepdims ? keptShape : x.shape.filter((_, i) => !axes.includes(i));
  return { dtype: x.dtype, shape, data: out };
}

/** Batched matmul over broadcast batch dims; `ta`/`tb` transpose the last two dims of a/b. */
export function matmul(a: NdArray, b: NdArray, ta = false, tb = false): NdArray {
  const [m, k] = ta ? [a.shape.at(-1)!, a.shape.at(-2)!] : [a.shape.at(-2)!, a.shape.at(-1)!];
  const n = tb ? b.shape.at(-2)! : b.shape.at(-1)!;
  const batch = broadcastShape([a.shape.slice(0, -2), b.shape.slice(0, -2)]);
  const aMap = broadcastIndex(a.shape.slice(0, -2), batch);
  const bMap = broadcastIndex(b.shape.slice(0, -2), batch);
  const batches = sizeOf(batch);
  const out = new Float64Array(batches * m * n);
  for (let p = 0; p < batches; p++) {
    const ab = aMap[p]! * m * k;
    const bb = bMap[p]! * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) {
          const av = a.data[ab + (ta ? q * m + i : i * k + q)]!;
          const bv = b.data[bb + (tb ? j * k + q : q * n + j)]!;
          s += av * bv;
        }
        out[p * m * n + i * n + j] = s;
      }
    }
  }
  return { dtype: a.dtype, shape: [...batch, m, n], data: out };
}

export const nnKernels: KernelTable<
  'ReduceSum' | 'ReduceMean' | 'ReduceMax' | 'MatMul' | 'Gemm' | 'Softmax' | 'LayerNormalization'
> = {
  ReduceSum: (inputs, attrs) => [reduce(arg(inputs, 0), attrs, 0, (acc, v) => acc + v)],
  ReduceMean: (inputs, attrs) => [
    reduce(
      arg(inputs, 0),
      attrs,
      0,
      (acc, v) => acc + v,
      (acc, n) => acc / n,
    ),
  ],
  ReduceMax: (inputs, attrs) => [reduce(arg(inputs, 0), attrs, -Infinity, (acc, v) => Math.max(acc, v))],
  MatMul: (inputs) => [matmul(arg(inputs, 0), arg(inputs, 1))],
  Gemm: (inputs, attrs) => [matmul(arg(inputs, 0), arg(inputs, 1), attrs.transA, attrs.transB)],
  Softmax: (inputs, attrs) => {
    const x = arg(inputs, 0);
    const out = new Float64Array(x.data.length);
    forEachLane(x.shape, axisOf(attrs.axis, x.shape.length), (base, stride, length) => {
      let max = -Infinity;
      for (let i = 0; i < length; i++) max = Math.max(max, x.data[base + i * stride]!);
      let sum = 0;
      for (let i = 0; i < length; i++) {
        const e = Math.exp(x.data[base + i * stride]! - max);
        out[base + i * stride] = e;
        sum += e;
      }
      for (let i = 0; i < length; i++) out[base + i * stride]! /= sum;
    });
    return [{ dtype: x.dtype, shape: x.shape, data: out }];
  },
  LayerNormalization: (inputs, attrs) => {
    const [x, scale, bias] = [arg(inputs, 0), arg(inputs, 1), arg(inputs, 2)];
    const out = new Float64Array(x.data.length);
    forEachLane(x.shape, x.shape.length - 1, (base, _stride, length) => {
      let mean = 0;
      for (let i = 0; i < length; i++) mean += x.data[base + i]!;
      mean /= length;
      let variance = 0;
      for (let i = 0; i < length; i++) variance += (x.data[base + i]! - mean) ** 2;
      variance /= length;
      const rstd = 1 / Math.sqrt(variance + attrs.epsilon);
      for (let i = 0; i < length; i++) {
        out[base + i] = (x.data[base + i]! - mean) * rstd * scale.data[i]! + bias.data[i]!;
      }
    });
    return [{ dtype: x.dtype, shape: x.shape, data: out }];
  },
};
