import type { Tensor } from '../graph.ts';
import type { DType, Dim } from '../types.ts';

export type OnnxAttr =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] };

export const attr = {
  int: (value: number): OnnxAttr => ({ kind: 'int', value }),
  float: (value: number): OnnxAttr => ({ kind: 'float', value }),
  string: (value: string): OnnxAttr => ({ kind: 'string', value }),
  ints: (value: readonly number[]): OnnxAttr => ({ kind: 'ints', value }),
};

/** One entry of a shape operand: a literal int64, or a dim whose value must be read at run time. */
export type ShapeEntry = number | { runtime: Dim };

/** What an op's emitter may do while the ONNX graph is written. */
export interface EmitContext {
  /** The ONNX value name of a builder tensor. */
  valueName(t: Tensor): string;
  /** A fresh ONNX value name for an intermediate the emitter creates. */
  temp(hint: string): string;
  add(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs: Record<string, OnnxAttr>,
  ): void;
  /** A 1-D int64 constant (deduplicated), e.g. Reshape shapes and Reduce axes. */
  int64Const(values: readonly number[]): string;
  /** A float32 scalar constant (deduplicated). */
  floatScalar(value: number): string;
  /** A constant float32/int32 tensor with the given values (deduplicated by the caller's key). */
  tableConst(key: string, dtype: 'float32' | 'int32', values: readonly number[]): string;
  /**
   * A 1-D int64 shape operand for a Reshape/Expand whose result has shape `target`: a constant when
   * every entry is literal; otherwise Shape() of a tensor that already has exactly `target`, or of a
   * small broadcast "carrier" built for it. No int64 arithmetic (Concat on int64 has no WebGPU kernel).
   */
  shapeOperand(entries: readonly ShapeEntry[], target: readonly Dim[], carriers: readonly Tensor[]): string;
  /** int64 [1] tensor holding the run-time value of `dim`, read with Shape(start, end) from a carrier. */
  dimValue(dim: Dim, carriers: readonly Tensor[]): string;
  onnxDataType(dtype: DType): number;
}
