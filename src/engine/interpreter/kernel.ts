import type { OpAttrs, OpType } from '../op-types.ts';
import type { Dim } from '../types.ts';
import type { NdArray } from './ndarray.ts';

export interface KernelEnv {
  /** The run-time value of a (possibly symbolic or derived) dim. */
  dim(d: Dim): number;
}

export type Kernel<K extends OpType> = (
  inputs: readonly NdArray[],
  attrs: OpAttrs[K],
  env: KernelEnv,
) => NdArray[];

export type KernelTable<K extends OpType> = { [P in K]: Kernel<P> };

export function arg(inputs: readonly NdArray[], i: number): NdArray {
  const t = inputs[i];
  if (!t) throw new Error(`interpreter: missing input ${i}`);
  return t;
}

export function axisOf(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
