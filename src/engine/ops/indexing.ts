import { attr } from '../onnx/emit-context.ts';
import { GraphBuildError, formatShape, normalizeAxis } from '../types.ts';
import { type OpDefTable, emitAs, expectArity, expectDType, expectSameDType } from './op-def.ts';

const INDEX = ['int32', 'int64'] as const;

type Indexing = 'Gather' | 'GatherElements' | 'ScatterND' | 'ScatterElements' | 'ArangeOfDim';

export const indexingOps: OpDefTable<Indexing> = {
  Gather: {
    infer: (inputs, attrs, op) => {
      expectArity(op, inputs, 2);
      const [data, indices] = inputs as [(typeof inputs)[0], (typeof inputs)[0]];
      expectDType(op, indices, INDEX, 'indices');
      const axis = normalizeAxis(op, attrs.axis, data.rank, data.shape);
      const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
      return [{ dtype: data.dtype, shape }];
    },
    emit: emitAs<'Gather'>((a) => ({ axis: attr.int(a.axis) })),
  },
  GatherElements: {
    infer: (inputs, attrs, op) => {
      expectArity(op, inputs, 2);
      const [data, indices] = inputs as [(typeof inputs)[0], (typeof inputs)[0]];
      expectDType(op, indices, INDEX, 'indices');
      const axis = normalizeAxis(op, attrs.axis, data.rank, data.shape);
      const ok =
        indices.rank === data.rank && indices.shape.every((d, i) => i === axis || d === data.shape[i]);
      if (!ok) {
        throw new GraphBuildError(
          op,
          `indices ${formatShape(indices.shape)} must match data ${formatShape(data.shape)} off axis ${axis}`,
        );
      }
      return [{ dtype: data.dtype, shape: indices.shape }];
    },
    emit: emitAs<'GatherElements'>((a) => ({ axis: attr.int(a.axis) })),
  },
  ScatterND: {
    infer: (inputs, _attrs, op) => {
      expectArity(op, inputs, 3);
      const [data, indices, updates] = inputs as [(typeof inputs)[0], (typeof inputs)[0], (typeof inputs)[0]];
      expectDType(op, indices, ['int64'], 'indices');
      expectSameDType(op, [data, updates]);
      const k = indices.shape[indices.rank - 1];
      if (typeof k !== 'number' || k < 1 || k > data.rank) {
        throw new GraphBuildError(
          op,
          `last dim of indices ${formatShape(indices.shape)} must be 1..${data.rank}`,
        );
      }
      const expected = [...indices.shape.slice(0, -1), ...data.shape.slice(k)];
      const ok = updates.rank === expected.length && updates.shape.every((d, i) => d === expected[i]);
      if (!ok) {
        throw new GraphBuildError(
          op,
          `updates ${formatShape(updates.shape)} must be ${formatShape(expected)} for data ${formatShape(data.shape)} and indices ${formatShape(indices.shape)}`,
        );
      }
      return [{ dtype: data.dtype, shape: data.shape }];
    },
    emit: emitAs<'ScatterND'>((a) => ({ reduction: attr.string(a.reduction) })),
  },
  ScatterElements: {
    infer: (inputs, attrs, op) => {
      expectArity(op, inputs, 3);
      const [data, indices, updates] = inputs as [(typeof inputs)[0], (typeof inputs)[0], (typeof inputs)[0]];
      expectDType(op, indices, INDEX, 'indices');
      expectSameDType(op, [data, updates]);
      const axis = normalizeAxis(op, attrs.axis, data.rank, data.shape);
      const sameShape =
        updates.rank === indices.rank && updates.shape.every((d, i) => d === indices.shape[i]);
      if (indices.rank !== data.rank || !sameShape) {
        throw new GraphBuildError(
          op,
          `indices ${formatShape(indices.shape)} and updates ${formatShape(updates.shape)} must have equal shapes of data's rank ${formatShape(data.shape)} (axis ${axis})`,
        );
      }
      return [{ dtype: data.dtype, shape: data.shape }];
    },
    emit: emitAs<'ScatterElements'>((a) => ({ axis: attr.int(a.axis), reduction: attr.string(a.reduction) })),
  },
  ArangeOfDim: {
    infer: (inputs, attrs, op) => {
      expectArity(op, inputs, 1);
      const x = inputs[0]!;
      const axis = normalizeAxis(op, attrs.axis, x.rank, x.shape);
      const dim = x.shape[axis]!;
      if (typeof dim === 'number' && dim > attrs.maxLength) {
        throw new GraphBuildError(
          op,
          `dim ${dim} of ${formatShape(x.shape)} exceeds maxLength ${attrs.maxLength}`,
        );
      }
      return [{ dtype: attrs.dtype, shape: [dim] }];
    },
    emit: (node, ctx) => {
      // [0, 1, ..., maxLength) as a float constant table sliced to the run-time length: no Range, no
      // int64 arithmetic. The WebGPU EP has no int32 Slice, so int32 positions are cast after slicing.
      const { axis, maxLength, dtype } = node.attrs;
      const x = node.inputs[0]!;
      const values = Array.from({ length: maxLength }, (_, i) => i);
      const table = ctx.tableConst(`arange.${maxLength}`, 'float32', values);
      const length = ctx.dimValue(x.shape[normalizeAxis('ArangeOfDim', axis, x.rank, x.shape)]!, [x]);
      const inputs = [table, ctx.int64Const([0]), length, ctx.int64Const([0])];
      const out = ctx.valueName(node.outputs[0]!);
      if (dtype === 'float32') {
        ctx.add('Slice', inputs, [out], {});
        return;
      }
      const sliced = ctx.temp('arange');
      ctx.add('Slice', inputs, [sliced], {});
      ctx.add('Cast', [sliced], [out], { to: attr.int(ctx.onnxDataType('int32')) });
    },
  },
};
