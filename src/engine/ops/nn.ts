import { attr } from '../onnx/emit-context.ts';
import { type Dim, GraphBuildError, broadcastShapes, formatShape, normalizeAxis } from '../types.ts';
import { FLOAT, type OpDefTable, emitAs, expectArity, expectDType, expectSameDType, same } from './op-def.ts';

function lastDim(shape: readonly Dim[]): Dim {
  return shape[shape.length - 1]!;
}

export const nnOps: OpDefTable<'MatMul' | 'Gemm' | 'Softmax' | 'LayerNormalization'> = {
  MatMul: {
    infer: (inputs, _attrs, op) => {
      expectArity(op, inputs, 2);
      const [a, b] = inputs as [(typeof inputs)[0], (typeof inputs)[0]];
      expectSameDType(op, inputs);
      expectDType(op, a, FLOAT);
      if (a.rank < 2 || b.rank < 2) {
        throw new GraphBuildError(
          op,
          `operands need rank >= 2: ${formatShape(a.shape)} x ${formatShape(b.shape)}`,
        );
      }
      const k1 = a.shape[a.rank - 1]!;
      const k2 = b.shape[b.rank - 2]!;
      if (k1 !== k2) {
        throw new GraphBuildError(op, `inner dims differ: ${formatShape(a.shape)} x ${formatShape(b.shape)}`);
      }
      let batch: Dim[];
      try {
        batch = broadcastShapes(op, [a.shape.slice(0, -2), b.shape.slice(0, -2)]);
      } catch {
        throw new GraphBuildError(
          op,
          `batch dims do not broadcast: ${formatShape(a.shape)} x ${formatShape(b.shape)}`,
        );
      }
      return [{ dtype: a.dtype, shape: [...batch, a.shape[a.rank - 2]!, lastDim(b.shape)] }];
    },
    emit: emitAs(),
  },
  Gemm: {
    infer: (inputs, attrs, op) => {
      expectArity(op, inputs, 2);
      const [a, b] = inputs as [(typeof inputs)[0], (typeof inputs)[0]];
      expectSameDType(op, inputs);
      expectDType(op, a, FLOAT);
      if (a.rank !== 2 || b.rank !== 2) {
        throw new GraphBuildError(
          op,
          `operands must be 2-D: ${formatShape(a.shape)} x ${formatShape(b.shape)}`,
        );
      }
      const [m, k1] = attrs.transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
      const [k2, n] = attrs.transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
      if (k1 !== k2) {
        const ta = attrs.transA ? 'ᵀ' : '';
        const tb = attrs.transB ? 'ᵀ' : '';
        throw new GraphBuildError(
          op,
          `inner dims differ: ${formatShape(a.shape)}${ta} x ${formatShape(b.shape)}${tb}`,
        );
      }
      return [{ dtype: a.dtype, shape: [m, n] }];
    },
    emit: emitAs<'Gemm'>((a) => ({ transA: attr.int(a.transA ? 1 : 0), transB: attr.int(a.transB ? 1 : 0) })),
  },
  Softmax: {
    infer: (inputs, attrs, op) => {
      expectArity(op, inputs, 1);
      const x = inputs[0]!;
      expectDType(op, x, FLOAT);
      normalizeAxis(op, attrs.axis, x.rank, x.shape);
      return [same(x)];
    },
    emit: emitAs<'Softmax'>((a) => ({ axis: attr.int(a.axis) })),
  },
  LayerNormalization: {
    infer: (inputs, attrs, op) => {
      expectArity(op, inputs, 3);
      const [x, scale, bias] = inputs as [(typeof inputs)[0], (typeof inputs)[0], (typeof inputs)[0]];
      expectSameDType(op, inputs);
      expectDType(op, x, FLOAT);
      if (!(attrs.epsilon > 0)) throw new GraphBuildError(op, `epsilon must be > 0, got ${attrs.epsilon}`);
      const c = lastDim(x.shape);
      for (const p of [scale, bias]) {
        if (p.rank !== 1 || p.shape[0] !== c) {
          throw new GraphBuildError(
            op,
            `scale and bias must be [${String(c)}] for input ${formatShape(x.shape)}, got ${formatShape(p.shape)}`,
          );
        }
      }
      return [same(x)];
    },
    emit: emitAs<'LayerNormalization'>((a) => ({ axis: attr.int(-1), epsilon: attr.float(a.epsilon) })),
  },
};
