import { describe, expect, it } from 'vitest';
import { Graph, evaluate, exportOnnx, grad, ndarray } from '../../../../src/engine/index.ts';

/** Each case builds something wrong; the message must name the op and show the shapes involved. */
const cases: { name: string; build: (g: Graph) => unknown; message: RegExp }[] = [
  {
    name: 'matmul inner dims',
    build: (g) => g.matmul(g.input('x', 'float32', ['batch', 'seq', 64]), g.input('w', 'float32', [32, 128])),
    message: /^MatMul: inner dims differ: \[batch, seq, 64\] x \[32, 128\]$/,
  },
  {
    name: 'matmul batch dims',
    build: (g) => g.matmul(g.input('a', 'float32', [2, 3, 4]), g.input('b', 'float32', [5, 4, 6])),
    message: /^MatMul: batch dims do not broadcast: \[2, 3, 4\] x \[5, 4, 6\]$/,
  },
  {
    name: 'gemm transposed inner dims',
    build: (g) => g.gemm(g.input('a', 'float32', [3, 4]), g.input('b', 'float32', [3, 5]), { transB: true }),
    message: /^Gemm: inner dims differ: \[3, 4\] x \[3, 5\]ᵀ$/,
  },
  {
    name: 'different symbolic dims never broadcast',
    build: (g) =>
      g.add(g.input('q', 'float32', ['batch', 'seq']), g.input('k', 'float32', ['batch', 'past'])),
    message: /^Add: cannot broadcast \[batch, seq\] with \[batch, past\]$/,
  },
  {
    name: 'numeric broadcast',
    build: (g) => g.mul(g.input('a', 'float32', [2, 3]), g.input('b', 'float32', [4])),
    message: /^Mul: cannot broadcast \[2, 3\] with \[4\]$/,
  },
  {
    name: 'dtype mismatch',
    build: (g) => g.add(g.input('a', 'float32', [2]), g.input('b', 'int32', [2])),
    message: /^Add: dtypes differ: float32\[2\] vs int32\[2\]$/,
  },
  {
    name: 'float op on integers',
    build: (g) => g.sqrt(g.input('a', 'int32', [2, 2])),
    message: /^Sqrt: input \[2, 2\] has dtype int32, expected float32$/,
  },
  {
    name: 'where needs a bool condition',
    build: (g) => g.where(g.input('c', 'float32', [2]), 1, 0),
    message: /^Where: condition \[2\] has dtype float32, expected bool$/,
  },
  {
    name: 'reshape element count',
    build: (g) => g.reshape(g.input('a', 'float32', [2, 3]), [4, 2]),
    message: /^Reshape: cannot reshape \[2, 3\] \(6\) to \[4, 2\] \(8\)$/,
  },
  {
    name: 'reshape -1 that does not divide',
    build: (g) => g.reshape(g.input('a', 'float32', ['batch', 5]), [-1, 2]),
    message: /^Reshape: cannot reshape \[batch, 5\] to \[-1, 2\]: sizes do not divide$/,
  },
  {
    name: 'transpose permutation',
    build: (g) => g.transpose(g.input('a', 'float32', [2, 3, 4]), [0, 2, 2]),
    message: /^Transpose: perm \[0, 2, 2\] is not a permutation for \[2, 3, 4\]$/,
  },
  {
    name: 'concat off-axis shapes',
    build: (g) => g.concat([g.input('a', 'float32', [2, 3]), g.input('b', 'float32', [4, 3])], 1),
    message: /^Concat: shapes differ off axis 1: \[2, 3\], \[4, 3\]$/,
  },
  {
    name: 'squeeze a non-1 axis',
    build: (g) => g.squeeze(g.input('a', 'float32', [2, 'seq']), [1]),
    message: /^Squeeze: axis 1 of \[2, seq\] is not 1$/,
  },
  {
    name: 'split sizes',
    build: (g) => g.split(g.input('a', 'float32', [2, 6]), 1, [2, 3]),
    message: /^Split: sizes \[2, 3\] do not split axis 1 of \[2, 6\]$/,
  },
  {
    name: 'slice of a symbolic dim with an unknown length',
    build: (g) => g.slice(g.input('a', 'float32', ['seq', 4]), 0, -3, 2),
    message: /^Slice: cannot slice \[-3, 2\) of symbolic dim 'seq' in \[seq, 4\]$/,
  },
  {
    name: 'softmax axis out of range',
    build: (g) => g.softmax(g.input('a', 'float32', [2, 3]), 2),
    message: /^Softmax: axis 2 is out of range for rank 2 tensor \[2, 3\]$/,
  },
  {
    name: 'gather with float indices',
    build: (g) => g.gather(g.input('table', 'float32', [10, 4]), g.input('ids', 'float32', [3])),
    message: /^Gather: indices \[3\] has dtype float32, expected int32 or int64$/,
  },
  {
    name: 'gatherElements shape',
    build: (g) => g.gatherElements(g.input('a', 'float32', [3, 5]), g.input('i', 'int32', [2, 1]), 1),
    message: /^GatherElements: indices \[2, 1\] must match data \[3, 5\] off axis 1$/,
  },
  {
    name: 'layerNorm parameters',
    build: (g) =>
      g.layerNorm(
        g.input('x', 'float32', ['batch', 8]),
        g.input('w', 'float32', [4]),
        g.input('b', 'float32', [8]),
      ),
    message: /^LayerNormalization: scale and bias must be \[8\] for input \[batch, 8\], got \[4\]$/,
  },
  {
    name: 'cast int64 to float',
    build: (g) => g.cast(g.input('ids', 'int64', [3]), 'float32'),
    message: /^Cast: int64 -> float32 of \[3\] has no WebGPU kernel/,
  },
  {
    name: 'scatterND updates',
    build: (g) =>
      g.scatterND(
        g.input('d', 'float32', [5, 3]),
        g.input('i', 'int64', [4, 1]),
        g.input('u', 'float32', [4, 2]),
      ),
    message: /^ScatterND: updates \[4, 2\] must be \[4, 3\] for data \[5, 3\] and indices \[4, 1\]$/,
  },
  {
    name: 'duplicate names',
    build: (g) => {
      g.input('x', 'float32', [1]);
      g.input('x', 'float32', [1]);
    },
    message: /^input: name 'x' is already used in this graph$/,
  },
  {
    name: 'initializer size',
    build: (g) => g.initializer('w', 'float32', [2, 3], new Float32Array(5)),
    message: /^initializer: 'w' float32\[2, 3\] needs 24 bytes, got 20$/,
  },
  {
    name: 'tensor from another graph',
    build: (g) => g.neg(new Graph().input('x', 'float32', [2])),
    message: /^Neg: tensor x: float32\[2\] belongs to another graph$/,
  },
  {
    name: 'invalid dim',
    build: (g) => g.input('x', 'float32', [2, -1]),
    message: /^input: 'x' has an invalid dimension -1 in \[2, -1\]$/,
  },
];

describe('build-time shape and dtype errors name the op and the shapes', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(() => c.build(new Graph())).toThrow(c.message);
    });
  }

  it('export without outputs', () => {
    expect(() => exportOnnx(new Graph())).toThrow(/^export: the graph has no outputs$/);
  });

  it('a gradient through a concat of symbolic lengths', () => {
    const g = new Graph();
    const past = g.input('past', 'float32', ['past', 4]);
    const now = g.input('now', 'float32', ['seq', 4]);
    const loss = g.reduceSum(g.concat([past, now], 0), [0, 1]);
    expect(() => grad(g, loss, [now])).toThrow(
      /^Concat \(gradient\): needs fixed sizes on axis 0, got \[past, 4\], \[seq, 4\]$/,
    );
  });

  it('a gradient through a slice that cuts a symbolic amount', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', ['seq', 4]);
    const loss = g.reduceSum(g.slice(x, 0, 0, 2), [0, 1]);
    expect(() => grad(g, loss, [x])).toThrow(
      /^Slice \(gradient\): \[0, 2\) on axis 0 of \[seq, 4\] leaves a symbolic amount outside the slice$/,
    );
  });

  it('the interpreter checks fed shapes against symbolic dims', () => {
    const g = new Graph();
    const a = g.input('a', 'float32', ['batch', 3]);
    const b = g.input('b', 'float32', ['batch', 3]);
    const y = g.add(a, b);
    const feed = (rows: number) => ndarray('float32', [rows, 3]);
    expect(() => evaluate(g, { a: feed(2), b: feed(4) }, [y])).toThrow(
      /^interpreter: input 'b' has shape \[4, 3\], expected \[batch, 3\]$/,
    );
  });
});
