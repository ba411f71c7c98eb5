import type { OpType } from '../op-types.ts';
import { elementwiseOps } from './elementwise.ts';
import { indexingOps } from './indexing.ts';
import { layoutOps } from './layout.ts';
import { nnOps } from './nn.ts';
import type { OpDefTable } from './op-def.ts';
import { reduceOps } from './reduce.ts';

/** Every op's shape inference and ONNX emitter; a missing op is a compile error. */
export const opDefs: OpDefTable<OpType> = {
  ...elementwiseOps,
  ...reduceOps,
  ...nnOps,
  ...layoutOps,
  ...indexingOps,
};
