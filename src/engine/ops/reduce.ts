import type { InferFn } from '../graph.ts';
import { attr } from '../onnx/emit-context.ts';
import type { OpType, ReduceAttrs } from '../op-types.ts';
import { type Dim, GraphBuildError, formatShape, normalizeAxis } from '../types.ts';
import { NUMERIC, type OpDef, type OpDefTable, expectArity, expectDType } from './op-def.ts';

export function normalizeAxes(
  op: string,
  axes: readonly number[],
  rank: number,
  shape: readonly Dim[],
): number[] {
  const out = axes.map((a) => normalizeAxis(op, a, rank, shape));
  if (new Set(out).size !== out.length) {
    throw new GraphBuildError(op, `repeated axis in [${axes.join(', ')}] for ${formatShape(shape)}`);
  }
  return out.sort((a, b) => a - b);
}

function reducedShape(shape: readonly Dim[], axes: readonly number[], keepdims: boolean): Dim[] {
  const out: Dim[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

function reduce<K extends OpType & ('ReduceSum' | 'ReduceMean' | 'ReduceMax')>(): OpDef<K> {
  const infer: InferFn<K> = (inputs, attrs: ReduceAttrs, op) => {
    expectArity(op, inputs, 1);
    const x = inputs[0]!;
    expectDType(op, x, NUMERIC);
    if (attrs.axes.length === 0) throw new GraphBuildError(op, `no axes given for ${formatShape(x.shape)}`);
    const axes = normalizeAxes(op, attrs.axes, x.rank, x.shape);
    return [{ dtype: x.dtype, shape: reducedShape(x.shape, axes, attrs.keepdims) }];
  };
  return {
    infer,
    emit: (node, ctx) => {
      const x = node.inputs[0]!;
      const axes = normalizeAxes(node.op, node.attrs.axes, x.rank, x.shape);
      ctx.add(node.op, [ctx.valueName(x), ctx.int64Const(axes)], [ctx.valueName(node.outputs[0]!)], {
        keepdims: attr.int(node.attrs.keepdims ? 1 : 0),
      });
    },
  };
}

export const reduceOps: OpDefTable<'ReduceSum' | 'ReduceMean' | 'ReduceMax'> = {
  ReduceSum: reduce(),
  ReduceMean: reduce(),
  ReduceMax: reduce(),
};
