export { Graph } from './builder.ts';
export { Tensor, type Node, type TensorData } from './graph.ts';
export type { OpAttrs, OpType } from './op-types.ts';
export { SLICE_END } from './ops/layout.ts';
export { exportOnnx, type ExportOptions } from './onnx/serialize.ts';
export { OPSET_VERSION } from './onnx/schema.ts';
export { type DType, type Dim, type Shape, GraphBuildError, formatShape } from './types.ts';
