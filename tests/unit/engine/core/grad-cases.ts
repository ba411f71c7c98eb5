import type { GradCase, InputSpec } from './helpers.ts';

const f = (...shape: number[]): InputSpec => ({ dtype: 'float32', shape });
const pos = (...shape: number[]): InputSpec => ({ dtype: 'float32', shape, range: [0.5, 2] });
const away = (...shape: number[]): InputSpec & { values: number[] } => {
  // Values bounded away from 0 and from each other, so kinks (Relu, Abs, Max, Clip) are not straddled.
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1) * (0.3 + (0.9 * ((i * 7) % n)) / n));
  return { dtype: 'float32', shape, values };
};

/** Each differentiable op, with broadcast operands and reused tensors where they apply. */
export const gradCases: GradCase[] = [
  { name: 'Add broadcast', inputs: { a: f(2, 3), b: f(3) }, build: (g, x) => g.add(x.a!, x.b!) },
  { name: 'Add reuses a tensor', inputs: { a: f(2, 3) }, build: (g, x) => g.add(x.a!, g.mul(x.a!, x.a!)) },
  {
    name: 'Sub broadcast keepdims-1',
    inputs: { a: f(2, 1, 3), b: f(4, 1) },
    build: (g, x) => g.sub(x.a!, x.b!),
  },
  { name: 'Mul broadcast', inputs: { a: f(3, 1), b: f(1, 4) }, build: (g, x) => g.mul(x.a!, x.b!) },
  { name: 'Div broadcast', inputs: { a: f(2, 3), b: pos(3) }, build: (g, x) => g.div(x.a!, x.b!) },
  {
    name: 'Max Min',
    inputs: { a: away(2, 3), b: f(3) },
    build: (g, x) => g.add(g.max(x.a!, x.b!), g.mul(g.min(x.a!, x.b!), 3)),
  },
  {
    name: 'Where broadcast',
    inputs: { a: f(2, 3), b: f(3) },
    build: (g, x) => g.where(g.greater(x.a!, 0), x.a!, g.mul(x.b!, 2)),
  },
  { name: 'Neg Abs', inputs: { a: away(2, 3) }, build: (g, x) => g.add(g.neg(x.a!), g.mul(g.abs(x.a!), 2)) },
  {
    name: 'Sqrt Reciprocal',
    inputs: { p: pos(2, 3) },
    build: (g, x) => g.add(g.sqrt(x.p!), g.reciprocal(x.p!)),
  },
  { name: 'Exp Log', inputs: { a: f(2, 3), p: pos(2, 3) }, build: (g, x) => g.mul(g.exp(x.a!), g.log(x.p!)) },
  {
    name: 'Tanh Sigmoid',
    inputs: { a: f(2, 3) },
    build: (g, x) => g.add(g.tanh(x.a!), g.mul(g.sigmoid(x.a!), 2)),
  },
  {
    name: 'Erf Relu',
    inputs: { a: away(2, 3) },
    build: (g, x) => g.add(g.erf(x.a!), g.mul(g.relu(x.a!), 2)),
  },
  {
    name: 'Gelu exact and tanh',
    inputs: { a: { dtype: 'float32', shape: [2, 4], range: [-3, 3] } },
    build: (g, x) => g.add(g.gelu(x.a!), g.mul(g.gelu(x.a!, 'tanh'), 2)),
  },
  {
    name: 'Pow',
    inputs: { p: pos(2, 3) },
    build: (g, x) => g.add(g.add(g.pow(x.p!, 2), g.pow(x.p!, -0.5)), g.add(g.pow(x.p!, 1), g.pow(x.p!, 3))),
  },
  { name: 'Clip', inputs: { a: away(3, 3) }, build: (g, x) => g.clip(x.a!, -0.55, 0.65) },
  {
    name: 'ReduceSum ReduceMean',
    inputs: { a: f(2, 3, 4) },
    build: (g, x) => g.add(g.reduceSum(x.a!, [1]), g.reduceMean(g.mul(x.a!, x.a!), [-2], false)),
  },
  {
    name: 'ReduceMean keepdims, ReduceMax',
    inputs: { a: away(2, 3, 4) },
    build: (g, x) => g.add(g.reduceMean(x.a!, [0, 2], true), g.reduceMax(x.a!, [0, 2], true)),
  },
  { name: 'MatMul 2-D', inputs: { a: f(3, 4), b: f(4, 2) }, build: (g, x) => g.matmul(x.a!, x.b!) },
  {
    name: 'MatMul shared weight',
    inputs: { a: f(2, 3, 4), b: f(4, 2) },
    build: (g, x) => g.matmul(x.a!, x.b!),
  },
  {
    name: 'MatMul broadcast batch',
    inputs: { a: f(2, 1, 3, 4), b: f(3, 4, 2) },
    build: (g, x) => g.matmul(x.a!, x.b!),
  },
  {
    name: 'Gemm all transposes',
    inputs: { a: f(3, 4), b: f(4, 2), at: f(4, 3), bt: f(2, 4) },
    build: (g, x) => {
      const p = g.gemm(x.a!, x.b!);
      const q = g.gemm(x.at!, x.b!, { transA: true });
      const r = g.gemm(x.a!, x.bt!, { transB: true });
      const s = g.gemm(x.at!, x.bt!, { transA: true, transB: true });
      return g.add(g.add(p, g.mul(q, 2)), g.add(g.mul(r, 3), g.mul(s, 4)));
    },
  },
  {
    name: 'Softmax last and middle axis',
    inputs: { a: f(2, 3, 4) },
    build: (g, x) => g.add(g.softmax(x.a!), g.softmax(x.a!, 1)),
  },
  {
    name: 'logSoftmax (composite)',
    inputs: { a: f(2, 3, 4) },
    build: (g, x) => g.add(g.logSoftmax(x.a!), g.logSoftmax(x.a!, 1)),
  },
  {
    name: 'LayerNormalization',
    inputs: { a: f(2, 3, 5), w: f(5), b: f(5) },
    build: (g, x) => g.layerNorm(x.a!, x.w!, x.b!, 1e-5),
  },
  {
    name: 'Reshape Transpose',
    inputs: { a: f(2, 3, 4) },
    build: (g, x) => g.transpose(g.reshape(x.a!, [6, -1]), [1, 0]),
  },
  {
    name: 'Unsqueeze Squeeze Identity',
    inputs: { a: f(3, 4) },
    build: (g, x) => g.view(g.squeeze(g.mul(g.unsqueeze(x.a!, [0, 2]), 2), [0]), [3, 1, 4]),
  },
  {
    name: 'Concat Slice Split',
    inputs: { a: f(2, 3), b: f(2, 2) },
    build: (g, x) => {
      const c = g.concat([x.a!, x.b!, x.a!], 1);
      const [p, q] = g.split(c, 1, [3, 5]);
      return g.add(g.slice(p!, 1, 1), g.mul(g.slice(q!, 1, -4, -2), 2));
    },
  },
  {
    name: 'Split with an unused part',
    inputs: { a: f(2, 5) },
    build: (g, x) => g.split(x.a!, 1, [2, 3])[1]!,
  },
  { name: 'Expand', inputs: { a: f(3, 1) }, build: (g, x) => g.expand(x.a!, [2, 3, 4]) },
  {
    name: 'Gather embedding with repeated ids',
    inputs: { table: f(5, 3), ids: { dtype: 'int32', shape: [2, 3], values: [1, 4, 1, 0, 1, 3] } },
    build: (g, x) => g.gather(x.table!, x.ids!),
  },
  {
    name: 'GatherElements',
    inputs: { a: f(3, 5), ids: { dtype: 'int32', shape: [3, 2], values: [4, 4, 0, 2, 1, 3] } },
    build: (g, x) => g.gatherElements(x.a!, x.ids!, 1),
  },
  {
    name: 'ScatterND add and replace',
    inputs: { data: f(4, 3), ids: { dtype: 'int64', shape: [2, 1], values: [2, 0] }, up: f(2, 3) },
    build: (g, x) =>
      g.add(g.scatterND(x.data!, x.ids!, x.up!, 'add'), g.scatterND(x.data!, x.ids!, g.mul(x.up!, 3))),
  },
  {
    name: 'ScatterElements add and replace',
    inputs: { data: f(3, 4), ids: { dtype: 'int32', shape: [3, 1], values: [3, 0, 2] }, up: f(3, 1) },
    build: (g, x) =>
      g.add(
        g.scatterElements(x.data!, x.ids!, x.up!, 1, 'add'),
        g.scatterElements(x.data!, x.ids!, g.mul(x.up!, 2), 1),
      ),
  },
];
