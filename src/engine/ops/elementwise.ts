import type { InferFn } from '../graph.ts';
import { attr } from '../onnx/emit-context.ts';
import type { OpType } from '../op-types.ts';
import { type DType, GraphBuildError, broadcastShapes, formatShape } from '../types.ts';
import {
  FLOAT,
  NUMERIC,
  type OpDef,
  type OpDefTable,
  emitAs,
  expectArity,
  expectDType,
  expectSameDType,
  same,
} from './op-def.ts';

function binary<K extends OpType>(allowed: readonly DType[], result: 'same' | 'bool'): OpDef<K> {
  const infer: InferFn<K> = (inputs, _attrs, op) => {
    expectArity(op, inputs, 2);
    const dtype = expectSameDType(op, inputs);
    for (const t of inputs) expectDType(op, t, allowed);
    const shape = broadcastShapes(
      op,
      inputs.map((t) => t.shape),
    );
    return [{ dtype: result === 'bool' ? 'bool' : dtype, shape }];
  };
  return { infer, emit: emitAs<K>() };
}

function unary<K extends OpType>(allowed: readonly DType[]): OpDef<K> {
  const infer: InferFn<K> = (inputs, _attrs, op) => {
    expectArity(op, inputs, 1);
    const [x] = inputs as [(typeof inputs)[0]];
    expectDType(op, x, allowed);
    return [same(x)];
  };
  return { infer, emit: emitAs<K>() };
}

type Elementwise =
  | 'Add'
  | 'Sub'
  | 'Mul'
  | 'Div'
  | 'Max'
  | 'Min'
  | 'Less'
  | 'LessOrEqual'
  | 'Greater'
  | 'GreaterOrEqual'
  | 'Equal'
  | 'And'
  | 'Or'
  | 'Not'
  | 'Where'
  | 'Neg'
  | 'Abs'
  | 'Sqrt'
  | 'Reciprocal'
  | 'Exp'
  | 'Log'
  | 'Tanh'
  | 'Sigmoid'
  | 'Erf'
  | 'Relu'
  | 'Gelu'
  | 'Pow'
  | 'Clip'
  | 'Cast';

export const elementwiseOps: OpDefTable<Elementwise> = {
  Add: binary(NUMERIC, 'same'),
  Sub: binary(NUMERIC, 'same'),
  Mul: binary(NUMERIC, 'same'),
  Div: binary(NUMERIC, 'same'),
  Max: binary(NUMERIC, 'same'),
  Min: binary(NUMERIC, 'same'),
  Less: binary(NUMERIC, 'bool'),
  LessOrEqual: binary(NUMERIC, 'bool'),
  Greater: binary(NUMERIC, 'bool'),
  GreaterOrEqual: binary(NUMERIC, 'bool'),
  Equal: binary(['float32', 'int32', 'bool'], 'bool'),
  And: binary(['bool'], 'bool'),
  Or: {
    infer: binary<'Or'>(['bool'], 'bool').infer,
    // a or b = not(not a and not b): the WebGPU EP has And and Not kernels but no Or.
    emit: (node, ctx) => {
      const [a, b] = node.inputs.map((t) => ctx.valueName(t)) as [string, string];
      const [na, nb, both] = [ctx.temp('not'), ctx.temp('not'), ctx.temp('and')];
      ctx.add('Not', [a], [na], {});
      ctx.add('Not', [b], [nb], {});
      ctx.add('And', [na, nb], [both], {});
      ctx.add('Not', [both], [ctx.valueName(node.outputs[0]!)], {});
    },
  },
  Not: unary(['bool']),
  Where: {
    infer: (inputs) => {
      expectArity('Where', inputs, 3);
      const [cond, a, b] = inputs as [(typeof inputs)[0], (typeof inputs)[0], (typeof inputs)[0]];
      expectDType('Where', cond, ['bool'], 'condition');
      const dtype = expectSameDType('Where', [a, b]);
      return [{ dtype, shape: broadcastShapes('Where', [cond.shape, a.shape, b.shape]) }];
    },
    emit: emitAs(),
  },
  Neg: unary(['float32', 'int32', 'int64']),
  Abs: unary(NUMERIC),
  Sqrt: unary(FLOAT),
  Reciprocal: unary(FLOAT),
  Exp: unary(FLOAT),
  Log: unary(FLOAT),
  Tanh: unary(FLOAT),
  Sigmoid: unary(FLOAT),
  Erf: unary(FLOAT),
  Relu: unary(FLOAT),
  Gelu: {
    infer: unary<'Gelu'>(FLOAT).infer,
    emit: emitAs<'Gelu'>((a) => ({ approximate: attr.string(a.approximate) })),
  },
  Pow: {
    infer: unary<'Pow'>(FLOAT).infer,
    emit: (node, ctx) => {
      const [x] = node.inputs as [(typeof node.inputs)[0]];
      const exponent = ctx.floatScalar(node.attrs.exponent);
      ctx.add('Pow', [ctx.valueName(x), exponent], [ctx.valueName(node.outputs[0]!)], {});
    },
  },
  Clip: {
    infer: (inputs, attrs) => {
      expectArity('Clip', inputs, 1);
      if (!(attrs.min <= attrs.max)) throw new GraphBuildError('Clip', `min ${attrs.min} > max ${attrs.max}`);
      expectDType('Clip', inputs[0]!, FLOAT);
      return [same(inputs[0]!)];
    },
    emit: (node, ctx) => {
      const inputs = [
        ctx.valueName(node.inputs[0]!),
        ctx.floatScalar(node.attrs.min),
        ctx.floatScalar(node.attrs.max),
      ];
      ctx.add('Clip', inputs, [ctx.valueName(node.outputs[0]!)], {});
    },
  },
  Cast: {
    infer: (inputs, attrs) => {
      expectArity('Cast', inputs, 1);
      const x = inputs[0]!;
      if (x.dtype === 'int64' && attrs.to === 'float32') {
        throw new GraphBuildError(
          'Cast',
          `int64 -> float32 of ${formatShape(x.shape)} has no WebGPU kernel; keep the values int32 (Cast int64 -> int32 first)`,
        );
      }
      return [{ dtype: attrs.to, shape: x.shape }];
    },
    emit: (node, ctx) => {
      ctx.add('Cast', [ctx.valueName(node.inputs[0]!)], [ctx.valueName(node.outputs[0]!)], {
        to: attr.int(ctx.onnxDataType(node.attrs.to)),
      });
    },
  },
};
