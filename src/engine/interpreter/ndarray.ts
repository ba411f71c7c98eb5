import type { DType } from '../types.ts';

/** A concrete tensor in the float64 reference interpreter (integers and bools are stored exactly). */
export interface NdArray {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1]! * shape[i + 1]!;
  return strides;
}

export function ndarray(dtype: DType, shape: readonly number[], data?: ArrayLike<number>): NdArray {
  const n = sizeOf(shape);
  const buf = data ? Float64Array.from(data) : new Float64Array(n);
  if (buf.length !== n) throw new Error(`ndarray: ${buf.length} values for shape [${shape.join(', ')}]`);
  return { dtype, shape: [...shape], data: buf };
}

/** Rounds a value to what storing it in `dtype` keeps (float32 stays float64 here: this is the reference). */
export function castValue(value: number, dtype: DType): number {
  switch (dtype) {
    case 'float32':
      return value;
    case 'int32':
    case 'int64':
      return Math.trunc(value);
    case 'bool':
      return value !== 0 ? 1 : 0;
  }
}

export function broadcastShape(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let dim = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + i] ?? 1;
      if (d === 1) continue;
      if (dim !== 1 && dim !== d)
        throw new Error(`cannot broadcast ${shapes.map((x) => `[${x.join(', ')}]`).join(' with ')}`);
      dim = d;
    }
    out.push(dim);
  }
  return out;
}

/**
 * For each element of the broadcast `outShape`, the flat index into an input of shape `inShape`.
 */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const n = sizeOf(outShape);
  const rank = outShape.length;
  const offset = rank - inShape.length;
  const inStrides = stridesOf(inShape);
  const map = new Int32Array(n);
  const idx = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < n; flat++) {
    let src = 0;
    for (let d = offset; d < rank; d++) {
      const dim = inShape[d - offset]!;
      if (dim !== 1) src += idx[d]! * inStrides[d - offset]!;
    }
    map[flat] = src;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      if (idx[d]! < outShape[d]!) break;
      idx[d] = 0;
    }
  }
  return map;
}

/** Elementwise map over broadcast inputs. */
export function mapBroadcast(
  inputs: readonly NdArray[],
  dtype: DType,
  fn: (...values: number[]) => number,
): NdArray {
  const shape = broadcastShape(inputs.map((t) => t.shape));
  const maps = inputs.map((t) => broadcastIndex(t.shape, shape));
  const out = new Float64Array(sizeOf(shape));
  const args = new Array<number>(inputs.length);
  for (let i = 0; i < out.length; i++) {
    for (let k = 0; k < inputs.length; k++) args[k] = inputs[k]!.data[maps[k]![i]!]!;
    out[i] = castValue(fn(...args), dtype);
  }
  return { dtype, shape, data: out };
}

/** Iterates over the outer/inner decomposition around one axis: calls fn(base, stride, length). */
export function forEachLane(
  shape: readonly number[],
  axis: number,
  fn: (base: number, stride: number, length: number) => void,
): void {
  const length = shape[axis]!;
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) fn(o * length * inner + i, inner, length);
  }
}
