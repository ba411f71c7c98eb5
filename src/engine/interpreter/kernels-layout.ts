import { type KernelTable, arg, axisOf } from './kernel.ts';
import { type NdArray, broadcastIndex, broadcastShape, sizeOf, stridesOf } from './ndarray.ts';

type Layout =
  | 'StopGradient'
  | 'Identity'
  | 'Reshape'
  | 'Transpose'
  | 'Unsqueeze'
  | 'Squeeze'
  | 'Concat'
  | 'Slice'
  | 'Split'
  | 'Expand';

function withShape(x: NdArray, shape: readonly number[]): NdArray {
  if (sizeOf(shape) !== x.data.length) {
    throw new Error(`interpreter: cannot view [${x.shape.join(', ')}] as [${shape.join(', ')}]`);
  }
  return { dtype: x.dtype, shape: [...shape], data: x.data };
}

/** Copies the sub-block [start, start+length) along `axis` of x. */
function sliceAxis(x: NdArray, axis: number, start: number, length: number): NdArray {
  const shape = [...x.shape];
  shape[axis] = length;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const outer = sizeOf(x.shape.slice(0, axis));
  const dim = x.shape[axis]!;
  const out = new Float64Array(outer * length * inner);
  for (let o = 0; o < outer; o++) {
    const src = (o * dim + start) * inner;
    out.set(x.data.subarray(src, src + length * inner), o * length * inner);
  }
  return { dtype: x.dtype, shape, data: out };
}

function concatAxis(xs: readonly NdArray[], axis: number): NdArray {
  const first = xs[0]!;
  const shape = [...first.shape];
  shape[axis] = xs.reduce((s, t) => s + t.shape[axis]!, 0);
  const inner = sizeOf(first.shape.slice(axis + 1));
  const outer = sizeOf(first.shape.slice(0, axis));
  const out = new Float64Array(sizeOf(shape));
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    for (const t of xs) {
      const chunk = t.shape[axis]! * inner;
      out.set(t.data.subarray(o * chunk, (o + 1) * chunk), pos);
      pos += chunk;
    }
  }
  return { dtype: first.dtype, shape, data: out };
}

export const layoutKernels: KernelTable<Layout> = {
  StopGradient: (inputs) => [arg(inputs, 0)],
  Identity: (inputs) => [arg(inputs, 0)],
  Reshape: (inputs, attrs, env) => {
    const x = arg(inputs, 0);
    const known = attrs.shape.map((d) => (d === -1 ? -1 : env.dim(d)));
    const product = known.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    return [
      withShape(
        x,
        known.map((d) => (d === -1 ? x.data.length / product : d)),
      ),
    ];
  },
  Transpose: (inputs, attrs) => {
    const x = arg(inputs, 0);
    const shape = attrs.perm.map((p) => x.shape[p]!);
    const inStrides = stridesOf(x.shape);
    const strides = attrs.perm.map((p) => inStrides[p]!);
    const out = new Float64Array(x.data.length);
    const idx = new Array<number>(shape.length).fill(0);
    for (let flat = 0; flat < out.length; flat++) {
      let src = 0;
      for (let d = 0; d < shape.length; d++) src += idx[d]! * strides[d]!;
      out[flat] = x.data[src]!;
      for (let d = shape.length - 1; d >= 0; d--) {
        idx[d]!++;
        if (idx[d]! < shape[d]!) break;
        idx[d] = 0;
      }
    }
    return [{ dtype: x.dtype, shape, data: out }];
  },
  Unsqueeze: (inputs, attrs) => {
    const x = arg(inputs, 0);
    const rank = x.shape.length + attrs.axes.length;
    const axes = attrs.axes.map((a) => axisOf(a, rank));
    const rest = [...x.shape];
    const shape = Array.from({ length: rank }, (_, i) => (axes.includes(i) ? 1 : rest.shift()!));
    return [withShape(x, shape)];
  },
  Squeeze: (inputs, attrs) => {
    const x = arg(inputs, 0);
    const axes = attrs.axes.map((a) => axisOf(a, x.shape.length));
    return [
      withShape(
        x,
        x.shape.filter((_, i) => !axes.includes(i)),
      ),
    ];
  },
  Concat: (inputs, attrs) => [concatAxis(inputs, axisOf(attrs.axis, arg(inputs, 0).shape.length))],
  Slice: (inputs, attrs) => {
    const x = arg(inputs, 0);
    const axis = axisOf(attrs.axis, x.shape.length);
    const dim = x.shape[axis]!;
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
    const start = clamp(attrs.start);
    return [sliceAxis(x, axis, start, Math.max(clamp(attrs.end) - start, 0))];
  },
  Split: (inputs, attrs) => {
    const x = arg(inputs, 0);
    const axis = axisOf(attrs.axis, x.shape.length);
    let start = 0;
    return attrs.sizes.map((size) => {
      const part = sliceAxis(x, axis, start, size);
      start += size;
      return part;
    });
  },
  Expand: (inputs, attrs, env) => {
    const x = arg(inputs, 0);
    const shape = broadcastShape([x.shape, attrs.shape.map((d) => env.dim(d))]);
    const map = broadcastIndex(x.shape, shape);
    return [{ dtype: x.dtype, shape, data: Float64Array.from(map, (i) => x.data[i]!) }];
  },
};
