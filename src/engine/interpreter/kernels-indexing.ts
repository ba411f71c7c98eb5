import { type KernelTable, arg, axisOf } from './kernel.ts';
import { sizeOf, stridesOf } from './ndarray.ts';

function checkIndex(op: string, index: number, dim: number): number {
  const i = index < 0 ? index + dim : index;
  if (!(i >= 0 && i < dim)) throw new Error(`${op}: index ${index} out of range for dim ${dim}`);
  return i;
}

export const indexingKernels: KernelTable<
  'Gather' | 'GatherElements' | 'ScatterND' | 'ScatterElements' | 'ArangeOfDim'
> = {
  Gather: (inputs, attrs) => {
    const [data, indices] = [arg(inputs, 0), arg(inputs, 1)];
    const axis = axisOf(attrs.axis, data.shape.length);
    const outer = sizeOf(data.shape.slice(0, axis));
    const inner = sizeOf(data.shape.slice(axis + 1));
    const dim = data.shape[axis]!;
    const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
    const out = new Float64Array(sizeOf(shape));
    let pos = 0;
    for (let o = 0; o < outer; o++) {
      for (const index of indices.data) {
        const src = (o * dim + checkIndex('Gather', index, dim)) * inner;
        out.set(data.data.subarray(src, src + inner), pos);
        pos += inner;
      }
    }
    return [{ dtype: data.dtype, shape, data: out }];
  },
  GatherElements: (inputs, attrs) => {
    const [data, indices] = [arg(inputs, 0), arg(inputs, 1)];
    const axis = axisOf(attrs.axis, data.shape.length);
    const dataStrides = stridesOf(data.shape);
    const idxStrides = stridesOf(indices.shape);
    const out = new Float64Array(indices.data.length);
    for (let flat = 0; flat < out.length; flat++) {
      let src = 0;
      let rem = flat;
      for (let d = 0; d < indices.shape.length; d++) {
        const c = Math.floor(rem / idxStrides[d]!);
        rem -= c * idxStrides[d]!;
        const coord = d === axis ? checkIndex('GatherElements', indices.data[flat]!, data.shape[d]!) : c;
        src += coord * dataStrides[d]!;
      }
      out[flat] = data.data[src]!;
    }
    return [{ dtype: data.dtype, shape: indices.shape, data: out }];
  },
  ScatterND: (inputs, attrs) => {
    const [data, indices, updates] = [arg(inputs, 0), arg(inputs, 1), arg(inputs, 2)];
    const k = indices.shape.at(-1)!;
    const strides = stridesOf(data.shape);
    const slice = sizeOf(data.shape.slice(k));
    const out = Float64Array.from(data.data);
    const count = indices.data.length / k;
    for (let n = 0; n < count; n++) {
      let base = 0;
      for (let j = 0; j < k; j++)
        base += checkIndex('ScatterND', indices.data[n * k + j]!, data.shape[j]!) * strides[j]!;
      for (let i = 0; i < slice; i++) {
        const u = updates.data[n * slice + i]!;
        out[base + i] = attrs.reduction === 'add' ? out[base + i]! + u : u;
      }
    }
    return [{ dtype: data.dtype, shape: data.shape, data: out }];
  },
  ScatterElements: (inputs, attrs) => {
    const [data, indices, updates] = [arg(inputs, 0), arg(inputs, 1), arg(inputs, 2)];
    const axis = axisOf(attrs.axis, data.shape.length);
    const dataStrides = stridesOf(data.shape);
    const idxStrides = stridesOf(indices.shape);
    const out = Float64Array.from(data.data);
    for (let flat = 0; flat < indices.data.length; flat++) {
      let dst = 0;
      let rem = flat;
      for (let d = 0; d < indices.shape.length; d++) {
        const c = Math.floor(rem / idxStrides[d]!);
        rem -= c * idxStrides[d]!;
        const coord = d === axis ? checkIndex('ScatterElements', indices.data[flat]!, data.shape[d]!) : c;
        dst += coord * dataStrides[d]!;
      }
      const u = updates.data[flat]!;
      out[dst] = attrs.reduction === 'add' ? out[dst]! + u : u;
    }
    return [{ dtype: data.dtype, shape: data.shape, data: out }];
  },
  ArangeOfDim: (inputs, attrs) => {
    const x = arg(inputs, 0);
    const n = x.shape[axisOf(attrs.axis, x.shape.length)]!;
    if (n > attrs.maxLength) throw new Error(`ArangeOfDim: length ${n} exceeds maxLength ${attrs.maxLength}`);
    return [{ dtype: attrs.dtype, shape: [n], data: Float64Array.from({ length: n }, (_, i) => i) }];
  },
};
