import type { DType, Dim } from './types.ts';

type NoAttrs = Record<string, never>;

export type ReduceAttrs = { axes: readonly number[]; keepdims: boolean };

/**
 * Every op the builder knows, with its attributes. Most map 1:1 to the ONNX op of the same name (opset 20);
 * `ArangeOfDim` is the one engine-level op (exported as Shape + Slice of a constant table, see ops/shape.ts).
 */
export interface OpAttrs {
  // elementwise binary (broadcasting)
  Add: NoAttrs;
  Sub: NoAttrs;
  Mul: NoAttrs;
  Div: NoAttrs;
  Max: NoAttrs;
  Min: NoAttrs;
  // comparisons and logic (output bool)
  Less: NoAttrs;
  LessOrEqual: NoAttrs;
  Greater: NoAttrs;
  GreaterOrEqual: NoAttrs;
  Equal: NoAttrs;
  And: NoAttrs;
  Or: NoAttrs;
  Not: NoAttrs;
  Where: NoAttrs;
  // elementwise unary
  Neg: NoAttrs;
  Abs: NoAttrs;
  Sqrt: NoAttrs;
  Reciprocal: NoAttrs;
  Exp: NoAttrs;
  Log: NoAttrs;
  Tanh: NoAttrs;
  Sigmoid: NoAttrs;
  Erf: NoAttrs;
  Relu: NoAttrs;
  Gelu: { approximate: 'none' | 'tanh' };
  Pow: { exponent: number };
  Clip: { min: number; max: number };
  Cast: { to: DType };
  // normalization / activation over an axis
  Softmax: { axis: number };
  LayerNormalization: { epsilon: number };
  // reductions
  ReduceSum: ReduceAttrs;
  ReduceMean: ReduceAttrs;
  ReduceMax: ReduceAttrs;
  // linear algebra
  MatMul: NoAttrs;
  Gemm: { transA: boolean; transB: boolean };
  /** Identity in the forward pass; blocks gradients (e.g. the max subtracted before a softmax). */
  StopGradient: NoAttrs;
  // layout
  /** Asserts/renames the shape (e.g. derived 'past+seq' -> 'total'); exported as ONNX Identity. */
  Identity: { shape: readonly Dim[] };
  Reshape: { shape: readonly Dim[] };
  Transpose: { perm: readonly number[] };
  Unsqueeze: { axes: readonly number[] };
  Squeeze: { axes: readonly number[] };
  Concat: { axis: number };
  Slice: { axis: number; start: number; end: number };
  Split: { axis: number; sizes: readonly number[] };
  Expand: { shape: readonly Dim[] };
  // indexing
  Gather: { axis: number };
  GatherElements: { axis: number };
  ScatterND: { reduction: 'none' | 'add' };
  ScatterElements: { axis: number; reduction: 'none' | 'add' };
  ArangeOfDim: { axis: number; maxLength: number; dtype: 'int32' | 'float32' };
}

export type OpType = keyof OpAttrs;
