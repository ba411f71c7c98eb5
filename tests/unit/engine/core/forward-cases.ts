import type { Graph, Tensor } from '../../../../src/engine/index.ts';
import type { InputSpec } from './helpers.ts';

export interface ForwardCase {
  name: string;
  inputs: Record<string, InputSpec>;
  build: (g: Graph, x: Record<string, Tensor>) => Tensor | Tensor[];
  /** Absolute tolerance against the float64 interpreter (float32 rounding); default 1e-5. */
  atol?: number;
}

const f = (...shape: number[]): InputSpec => ({ dtype: 'float32', shape });
const pos = (...shape: number[]): InputSpec => ({ dtype: 'float32', shape, range: [0.2, 2] });
const ints = (hi: number, ...shape: number[]): InputSpec => ({ dtype: 'int32', shape, range: [0, hi] });

/** One or more cases per op: builder graph -> ONNX -> onnxruntime-node, against the float64 interpreter. */
export const forwardCases: ForwardCase[] = [
  { name: 'Add broadcast', inputs: { a: f(2, 3, 4), b: f(4) }, build: (g, x) => g.add(x.a!, x.b!) },
  { name: 'Add int32', inputs: { a: ints(9, 2, 3), b: ints(9, 3) }, build: (g, x) => g.add(x.a!, x.b!) },
  { name: 'Sub broadcast', inputs: { a: f(3, 1), b: f(1, 4) }, build: (g, x) => g.sub(x.a!, x.b!) },
  { name: 'Mul scalar', inputs: { a: f(2, 3) }, build: (g, x) => g.mul(x.a!, 0.125) },
  { name: 'Div', inputs: { a: f(2, 3), b: pos(2, 3) }, build: (g, x) => g.div(x.a!, x.b!) },
  {
    name: 'Max Min',
    inputs: { a: f(2, 3), b: f(3) },
    build: (g, x) => [g.max(x.a!, x.b!), g.min(x.a!, x.b!)],
  },
  {
    name: 'comparisons',
    inputs: { a: ints(4, 3, 4), b: ints(4, 4) },
    build: (g, x) => [
      g.less(x.a!, x.b!),
      g.lessOrEqual(x.a!, x.b!),
      g.greater(x.a!, x.b!),
      g.greaterOrEqual(x.a!, x.b!),
      g.equal(x.a!, x.b!),
    ],
  },
  {
    name: 'logic and Where',
    inputs: { a: f(3, 4), b: f(3, 4) },
    build: (g, x) => {
      const p = g.greater(x.a!, 0);
      const q = g.less(x.b!, 0);
      return [g.and(p, q), g.or(p, q), g.not(p), g.where(g.and(p, g.not(q)), x.a!, x.b!)];
    },
  },
  {
    name: 'unary math',
    inputs: { a: f(2, 5), p: pos(2, 5) },
    build: (g, x) => [
      g.neg(x.a!),
      g.abs(x.a!),
      g.sqrt(x.p!),
      g.reciprocal(x.p!),
      g.exp(x.a!),
      g.log(x.p!),
      g.tanh(x.a!),
      g.sigmoid(x.a!),
      g.erf(x.a!),
      g.relu(x.a!),
    ],
  },
  {
    name: 'Gelu exact and tanh',
    inputs: { a: { dtype: 'float32', shape: [3, 4], range: [-4, 4] } },
    build: (g, x) => [g.gelu(x.a!), g.gelu(x.a!, 'tanh')],
  },
  {
    name: 'Pow',
    inputs: { p: pos(2, 3) },
    build: (g, x) => [g.pow(x.p!, 2), g.pow(x.p!, -0.5), g.pow(x.p!, 3)],
  },
  { name: 'Clip', inputs: { a: f(4, 4) }, build: (g, x) => g.clip(x.a!, -0.3, 0.5) },
  {
    name: 'Cast',
    inputs: { a: { dtype: 'float32', shape: [6], range: [-3, 3] }, i: ints(5, 6) },
    build: (g, x) => [
      g.cast(x.a!, 'int32'),
      g.cast(x.i!, 'float32'),
      g.cast(x.i!, 'int64'),
      g.cast(g.greater(x.a!, 0), 'float32'),
    ],
  },
  { name: 'StopGradient', inputs: { a: f(2, 2) }, build: (g, x) => g.stopGradient(x.a!) },
  {
    name: 'reductions',
    inputs: { a: f(2, 3, 4) },
    build: (g, x) => [
      g.reduceSum(x.a!, [1]),
      g.reduceSum(x.a!, [0, 2], true),
      g.reduceMean(x.a!, [-1], true),
      g.reduceMax(x.a!, [0, 1]),
    ],
  },
  { name: 'MatMul batched', inputs: { a: f(2, 3, 4), b: f(4, 5) }, build: (g, x) => g.matmul(x.a!, x.b!) },
  {
    name: 'MatMul broadcast batch',
    inputs: { a: f(2, 1, 3, 4), b: f(3, 4, 2) },
    build: (g, x) => g.matmul(x.a!, x.b!),
  },
  {
    name: 'Gemm transposes',
    inputs: { a: f(4, 3), b: f(5, 4) },
    build: (g, x) => [g.gemm(x.a!, x.b!, { transA: true, transB: true }), g.gemm(x.b!, x.a!)],
  },
  { name: 'Softmax', inputs: { a: f(2, 3, 5) }, build: (g, x) => [g.softmax(x.a!), g.softmax(x.a!, 1)] },
  {
    name: 'logSoftmax with large logits',
    inputs: { a: { dtype: 'float32', shape: [2, 5], range: [-200, 200] } },
    build: (g, x) => [g.logSoftmax(x.a!), g.logSoftmax(x.a!, 0)],
    atol: 1e-4,
  },
  {
    name: 'LayerNormalization',
    inputs: { a: f(2, 3, 8), w: f(8), b: f(8) },
    build: (g, x) => g.layerNorm(x.a!, x.w!, x.b!, 1e-5),
  },
  {
    name: 'Reshape Transpose Unsqueeze Squeeze',
    inputs: { a: f(2, 3, 4) },
    build: (g, x) => {
      const r = g.reshape(x.a!, [-1, 4]);
      const t = g.transpose(x.a!, [2, 0, 1]);
      const u = g.unsqueeze(x.a!, [0, 3]);
      return [r, t, u, g.squeeze(u, [0, 3]), g.view(x.a!, [2, 3, 4])];
    },
  },
  {
    name: 'Concat Slice Split',
    inputs: { a: f(2, 3), b: f(2, 2) },
    build: (g, x) => {
      const c = g.concat([x.a!, x.b!], 1);
      const [p, q] = g.split(c, 1, [1, 4]);
      return [c, g.slice(c, 1, 1, 4), g.slice(c, 1, -2), p!, q!];
    },
  },
  { name: 'Expand', inputs: { a: f(3, 1) }, build: (g, x) => g.expand(x.a!, [2, 3, 4]) },
  {
    name: 'Gather embedding int32',
    inputs: { table: f(6, 3), ids: ints(6, 2, 4) },
    build: (g, x) => g.gather(x.table!, x.ids!),
  },
  {
    name: 'GatherElements',
    inputs: { a: f(3, 5), ids: ints(5, 3, 1) },
    build: (g, x) => g.gatherElements(x.a!, x.ids!, 1),
  },
  {
    name: 'ScatterND add with repeated ids, and replace',
    inputs: {
      data: f(5, 3),
      ids: { dtype: 'int64', shape: [4, 1], values: [1, 3, 1, 0] },
      unique: { dtype: 'int64', shape: [2, 1], values: [4, 1] },
      up: f(4, 3),
      up2: f(2, 3),
    },
    build: (g, x) => [g.scatterND(x.data!, x.ids!, x.up!, 'add'), g.scatterND(x.data!, x.unique!, x.up2!)],
  },
  {
    name: 'ScatterElements add and replace',
    inputs: {
      data: f(3, 4),
      ids: { dtype: 'int32', shape: [3, 2], values: [0, 3, 1, 1, 2, 0] },
      unique: { dtype: 'int32', shape: [3, 1], values: [2, 0, 3] },
      up: f(3, 2),
      up2: f(3, 1),
    },
    build: (g, x) => [
      g.scatterElements(x.data!, x.ids!, x.up!, 1, 'add'),
      g.scatterElements(x.data!, x.unique!, x.up2!, 1),
    ],
  },
  {
    name: 'ArangeOfDim',
    inputs: { a: f(2, 5) },
    build: (g, x) => [
      g.arangeOf(x.a!, 1, { maxLength: 16 }),
      g.arangeOf(x.a!, 0, { maxLength: 8, dtype: 'float32' }),
    ],
  },
];
