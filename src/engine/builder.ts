/**
 * The graph builder: typed functions that build an ONNX graph, checked at build time.
 *
 * ```ts
 * import { Graph, grad, exportOnnx, evaluate } from '../engine';
 *
 * const g = new Graph();
 * const x = g.input('x', 'float32', ['batch', 'seq', 64]);        // symbolic dims are strings
 * const w = g.initializer('w', 'float32', [64, 32], weights);     // Float32Array (or raw bytes)
 * const h = g.gelu(g.matmul(x, w));                               // [batch, seq, 32]
 * const loss = g.reduceMean(g.mul(h, h), [0, 1, 2]);              // [] (scalar)
 * const [dw] = grad(g, loss, [w]);                                // [64, 32]; null if w did not reach loss
 * g.output('loss', loss);
 * g.output('grad.w', dw!);
 * const bytes = exportOnnx(g);                                    // ModelProto bytes, opset 20
 * const [l] = evaluate(g, { x: ndarray('float32', [2, 3, 64], values) }, [loss]); // float64 reference
 * ```
 *
 * - Shapes mix numbers and symbolic names; a mismatch throws GraphBuildError naming the op and shapes,
 *   e.g. `MatMul: inner dims differ: [batch, seq, 64] x [32, 128]`. Broadcasting follows numpy/ONNX;
 *   two different symbolic names never broadcast. Derived dims read 'batch*seq' (reshape -1) or
 *   'past+seq' (concat); `g.view(t, [..., 'total', ...])` renames them.
 * - Binary ops take a number for either operand (a shared scalar constant of the other's dtype).
 * - `grad` appends the backward pass to the same graph; only nodes between `wrt` and the loss get
 *   gradient work. Every op has a rule in grad-rules/ (or is marked NON_DIFFERENTIABLE).
 *
 * WebGPU (opset 20 is deliberate: the WebGPU EP registers Transpose, Reshape, Cast, ... only up to 20):
 * every op here runs on the WebGPU EP with CPU fallback disabled (tests/unit/engine/core/webgpu.test.ts)
 * as long as graphs keep to these rules, which the exporter already follows for its own nodes:
 * - No int64 arithmetic. Token ids, positions and masks are int32 or float32 inputs; int64 appears only
 *   as constant Reshape/Slice/axes operands and in the Cast int32 -> int64 feeding ScatterND.
 *   The EP has no Slice on int32/int64, no int64 Unsqueeze/Squeeze/Concat, no Or (Or is emitted as
 *   Not/And), no Cast int64 -> float (rejected at build time).
 * - Dynamic lengths never need Range: position ids and the attention mask are graph inputs;
 *   `g.arangeOf(t, axis)` is a constant float table sliced to a run-time length (Shape + Slice); masks
 *   come from comparisons (`g.lessOrEqual(keyPos, queryPos)`) and `g.where`.
 * - Reshape/Expand targets are written with literal dims, 0 (copy the input's dim) and one -1. When a
 *   target needs more run-time dims (e.g. [batch*seq, C] -> [batch, seq, H, D]) the exporter feeds
 *   Shape() of a tensor that already has that exact shape, or of a zero "carrier" broadcast to it (one
 *   pass over the target's elements, once per distinct shape per graph). Activations kept 3-D
 *   ([batch, seq, C], heads via [0, 0, H, D]) need neither.
 * - Weights in Hugging Face nn.Linear layout [out, in] multiply as `g.gemm(x2d, w, { transB: true })`
 *   (2-D) or are transposed once at load time to [in, out] for a plain MatMul: never a per-run Transpose.
 */
import { GraphCore, type Tensor } from './graph.ts';
import type { OpAttrs, OpType } from './op-types.ts';
import { SLICE_END } from './ops/layout.ts';
import { type DType, type Dim, shapesEqual } from './types.ts';

type Operand = Tensor | number;

export class Graph extends GraphCore {
  private op<K extends OpType>(op: K, inputs: readonly Tensor[], attrs: OpAttrs[K]): Tensor {
    return this.apply(op, inputs, attrs)[0]!;
  }

  private pair(a: Operand, b: Operand): [Tensor, Tensor] {
    if (typeof a === 'number' && typeof b === 'number') {
      return [this.scalar(a), this.scalar(b)];
    }
    const ta = typeof a === 'number' ? this.scalar(a, (b as Tensor).dtype) : a;
    const tb = typeof b === 'number' ? this.scalar(b, ta.dtype) : b;
    return [ta, tb];
  }

  /** `a` itself when `b` is the identity element of a float op (x + 0, x * 1, ...): no node. */
  private identity(a: Operand, b: Operand, neutral: number): Tensor | null {
    return typeof a !== 'number' && b === neutral && a.dtype === 'float32' ? a : null;
  }

  // ---- elementwise binary (broadcasting) ----
  add(a: Operand, b: Operand): Tensor {
    return this.identity(a, b, 0) ?? this.identity(b, a, 0) ?? this.op('Add', this.pair(a, b), {});
  }
  sub(a: Operand, b: Operand): Tensor {
    return this.identity(a, b, 0) ?? this.op('Sub', this.pair(a, b), {});
  }
  mul(a: Operand, b: Operand): Tensor {
    return this.identity(a, b, 1) ?? this.identity(b, a, 1) ?? this.op('Mul', this.pair(a, b), {});
  }
  div(a: Operand, b: Operand): Tensor {
    return this.identity(a, b, 1) ?? this.op('Div', this.pair(a, b), {});
  }
  max(a: Operand, b: Operand): Tensor {
    return this.op('Max', this.pair(a, b), {});
  }
  min(a: Operand, b: Operand): Tensor {
    return this.op('Min', this.pair(a, b), {});
  }

  // ---- comparisons and logic (bool results) ----
  less(a: Operand, b: Operand): Tensor {
    return this.op('Less', this.pair(a, b), {});
  }
  lessOrEqual(a: Operand, b: Operand): Tensor {
    return this.op('LessOrEqual', this.pair(a, b), {});
  }
  greater(a: Operand, b: Operand): Tensor {
    return this.op('Greater', this.pair(a, b), {});
  }
  greaterOrEqual(a: Operand, b: Operand): Tensor {
    return this.op('GreaterOrEqual', this.pair(a, b), {});
  }
  equal(a: Operand, b: Operand): Tensor {
    return this.op('Equal', this.pair(a, b), {});
  }
  and(a: Tensor, b: Tensor): Tensor {
    return this.op('And', [a, b], {});
  }
  or(a: Tensor, b: Tensor): Tensor {
    return this.op('Or', [a, b], {});
  }
  not(x: Tensor): Tensor {
    return this.op('Not', [x], {});
  }
  /** cond ? a : b, broadcasting all three. */
  where(cond: Tensor, a: Operand, b: Operand): Tensor {
    const [ta, tb] = this.pair(a, b);
    return this.op('Where', [cond, ta, tb], {});
  }

  // ---- elementwise unary ----
  neg(x: Tensor): Tensor {
    return this.op('Neg', [x], {});
  }
  abs(x: Tensor): Tensor {
    return this.op('Abs', [x], {});
  }
  sqrt(x: Tensor): Tensor {
    return this.op('Sqrt', [x], {});
  }
  reciprocal(x: Tensor): Tensor {
    return this.op('Reciprocal', [x], {});
  }
  exp(x: Tensor): Tensor {
    return this.op('Exp', [x], {});
  }
  log(x: Tensor): Tensor {
    return this.op('Log', [x], {});
  }
  tanh(x: Tensor): Tensor {
    return this.op('Tanh', [x], {});
  }
  sigmoid(x: Tensor): Tensor {
    return this.op('Sigmoid', [x], {});
  }
  erf(x: Tensor): Tensor {
    return this.op('Erf', [x], {});
  }
  relu(x: Tensor): Tensor {
    return this.op('Relu', [x], {});
  }
  /** GELU; 'tanh' is GPT-2's gelu_new. */
  gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
    return this.op('Gelu', [x], { approximate });
  }
  /** x ** exponent for a constant exponent. */
  pow(x: Tensor, exponent: number): Tensor {
    return exponent === 1 ? x : this.op('Pow', [x], { exponent });
  }
  clip(x: Tensor, min: number, max: number): Tensor {
    return this.op('Clip', [x], { min, max });
  }
  cast(x: Tensor, to: DType): Tensor {
    return x.dtype === to ? x : this.op('Cast', [x], { to });
  }
  /** Forward identity whose gradient is zero. */
  stopGradient(x: Tensor): Tensor {
    return this.op('StopGradient', [x], {});
  }

  // ---- reductions ----
  reduceSum(x: Tensor, axes: readonly number[], keepdims = false): Tensor {
    return this.op('ReduceSum', [x], { axes, keepdims });
  }
  reduceMean(x: Tensor, axes: readonly number[], keepdims = false): Tensor {
    return this.op('ReduceMean', [x], { axes, keepdims });
  }
  reduceMax(x: Tensor, axes: readonly number[], keepdims = false): Tensor {
    return this.op('ReduceMax', [x], { axes, keepdims });
  }

  // ---- linear algebra and normalization ----
  /** numpy matmul for rank >= 2 operands; batch dims broadcast. */
  matmul(a: Tensor, b: Tensor): Tensor {
    return this.op('MatMul', [a, b], {});
  }
  /** 2-D a' x b' where ' is an optional transpose (no bias: add it with g.add). */
  gemm(a: Tensor, b: Tensor, opts: { transA?: boolean; transB?: boolean } = {}): Tensor {
    return this.op('Gemm', [a, b], { transA: opts.transA ?? false, transB: opts.transB ?? false });
  }
  softmax(x: Tensor, axis = -1): Tensor {
    return this.op('Softmax', [x], { axis });
  }
  /**
   * log(softmax(x)) without overflow or log(0): (x - max) - log(Σ exp(x - max)), the max held
   * constant for the gradient. Composed from ops with WebGPU kernels (ONNX LogSoftmax has none there).
   */
  logSoftmax(x: Tensor, axis = -1): Tensor {
    const shifted = this.sub(x, this.stopGradient(this.reduceMax(x, [axis], true)));
    return this.sub(shifted, this.log(this.reduceSum(this.exp(shifted), [axis], true)));
  }
  /** LayerNormalization over the last axis (fused ONNX op; its gradient is composed from primitives). */
  layerNorm(x: Tensor, scale: Tensor, bias: Tensor, epsilon = 1e-5): Tensor {
    return this.op('LayerNormalization', [x, scale, bias], { epsilon });
  }

  // ---- layout ----
  /**
   * Target dims: numbers, symbolic names, and at most one -1. A symbolic dim that ONNX cannot express
   * with 0 (copy) or -1 is read at run time from `carrier` (or a graph input) that has it.
   */
  reshape(x: Tensor, shape: readonly Dim[], carrier?: Tensor): Tensor {
    if (shapesEqual(x.shape, shape)) return x;
    return this.op('Reshape', carrier ? [x, carrier] : [x], { shape });
  }
  transpose(x: Tensor, perm: readonly number[]): Tensor {
    if (perm.length === x.rank && perm.every((p, i) => p === i)) return x;
    return this.op('Transpose', [x], { perm });
  }
  unsqueeze(x: Tensor, axes: readonly number[]): Tensor {
    return this.op('Unsqueeze', [x], { axes });
  }
  squeeze(x: Tensor, axes: readonly number[]): Tensor {
    return this.op('Squeeze', [x], { axes });
  }
  concat(xs: readonly Tensor[], axis: number): Tensor {
    return this.op('Concat', xs, { axis });
  }
  /** x[start:end] along one axis (negative indices count from the end; end defaults to the end). */
  slice(x: Tensor, axis: number, start: number, end: number = SLICE_END): Tensor {
    return this.op('Slice', [x], { axis, start, end });
  }
  split(x: Tensor, axis: number, sizes: readonly number[]): Tensor[] {
    return this.apply('Split', [x], { axis, sizes });
  }
  /** Broadcasts x to `shape` (numpy rules); run-time dims come from `carrier` or a graph input. */
  expand(x: Tensor, shape: readonly Dim[], carrier?: Tensor): Tensor {
    if (shapesEqual(x.shape, shape)) return x;
    return this.op('Expand', carrier ? [x, carrier] : [x], { shape });
  }
  /** Same data, shape renamed/asserted: e.g. [batch, heads, 'past+seq', 64] -> [batch, heads, 'total', 64]. */
  view(x: Tensor, shape: readonly Dim[]): Tensor {
    return this.op('Identity', [x], { shape });
  }

  // ---- indexing ----
  /** Embedding lookup: data [V, C], indices int32 [...] -> [..., C] (axis 0). */
  gather(data: Tensor, indices: Tensor, axis = 0): Tensor {
    return this.op('Gather', [data, indices], { axis });
  }
  gatherElements(data: Tensor, indices: Tensor, axis: number): Tensor {
    return this.op('GatherElements', [data, indices], { axis });
  }
  scatterND(data: Tensor, indices: Tensor, updates: Tensor, reduction: 'none' | 'add' = 'none'): Tensor {
    return this.op('ScatterND', [data, indices, updates], { reduction });
  }
  scatterElements(
    data: Tensor,
    indices: Tensor,
    updates: Tensor,
    axis: number,
    reduction: 'none' | 'add' = 'none',
  ): Tensor {
    return this.op('ScatterElements', [data, indices, updates], { axis, reduction });
  }
  /** [0, 1, ..., n) where n is x's (possibly symbolic) size on `axis`, n <= maxLength. */
  arangeOf(x: Tensor, axis: number, opts: { maxLength: number; dtype?: 'int32' | 'float32' }): Tensor {
    return this.op('ArangeOfDim', [x], { axis, maxLength: opts.maxLength, dtype: opts.dtype ?? 'int32' });
  }
}
