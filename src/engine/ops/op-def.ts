import type { InferFn, Node, Tensor, TensorType } from '../graph.ts';
import type { EmitContext, OnnxAttr } from '../onnx/emit-context.ts';
import type { OpAttrs, OpType } from '../op-types.ts';
import { type DType, GraphBuildError, formatShape } from '../types.ts';

/** How an op checks its inputs at build time and how it is written to ONNX. */
export interface OpDef<K extends OpType> {
  infer: InferFn<K>;
  emit: (node: Node<K>, ctx: EmitContext) => void;
}

export type OpDefTable<K extends OpType> = { [P in K]: OpDef<P> };

/** Emits the node as the ONNX op of the same name with the given ONNX attributes. */
export function emitAs<K extends OpType>(
  onnxAttrs?: (attrs: OpAttrs[K]) => Record<string, OnnxAttr>,
): OpDef<K>['emit'] {
  return (node, ctx) => {
    ctx.add(
      node.op,
      node.inputs.map((t) => ctx.valueName(t)),
      node.outputs.map((t) => ctx.valueName(t)),
      onnxAttrs ? onnxAttrs(node.attrs) : {},
    );
  };
}

export function expectArity(op: string, inputs: readonly Tensor[], count: number): void {
  if (inputs.length !== count) throw new GraphBuildError(op, `expects ${count} inputs, got ${inputs.length}`);
}

export function expectDType(op: string, t: Tensor, allowed: readonly DType[], role = 'input'): void {
  if (!allowed.includes(t.dtype)) {
    throw new GraphBuildError(
      op,
      `${role} ${formatShape(t.shape)} has dtype ${t.dtype}, expected ${allowed.join(' or ')}`,
    );
  }
}

export function expectSameDType(op: string, inputs: readonly Tensor[]): DType {
  const first = inputs[0];
  if (!first) throw new GraphBuildError(op, 'expects at least one input');
  for (const t of inputs) {
    if (t.dtype !== first.dtype) {
      throw new GraphBuildError(
        op,
        `dtypes differ: ${inputs.map((x) => `${x.dtype}${formatShape(x.shape)}`).join(' vs ')}`,
      );
    }
  }
  return first.dtype;
}

export function same(t: Tensor): TensorType {
  return { dtype: t.dtype, shape: t.shape };
}

export const NUMERIC: readonly DType[] = ['float32', 'int32', 'int64'];
export const FLOAT: readonly DType[] = ['float32'];
