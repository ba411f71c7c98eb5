import type { OpAttrs, OpType } from './op-types.ts';
import { opDefs } from './ops/registry.ts';
import { type DType, type Dim, type Shape, GraphBuildError, formatShape } from './types.ts';

/** Raw element data of an initializer, in the tensor's dtype (little-endian when given as bytes). */
export type TensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

export type TensorSource =
  | { kind: 'input'; name: string }
  | { kind: 'initializer'; name: string; data: TensorData }
  | { kind: 'node'; node: Node; index: number };

/** A symbolic tensor: dtype and shape are known when the graph is built; values only when it runs. */
export class Tensor {
  constructor(
    readonly graph: GraphCore,
    readonly id: number,
    readonly dtype: DType,
    readonly shape: Shape,
    readonly source: TensorSource,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    const label = this.source.kind === 'node' ? `${this.source.node.op}#${this.id}` : this.source.name;
    return `${label}: ${this.dtype}${formatShape(this.shape)}`;
  }
}

export interface Node<K extends OpType = OpType> {
  readonly id: number;
  readonly op: K;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: OpAttrs[K];
}

export type TensorType = { dtype: DType; shape: readonly Dim[] };

/** Shape/dtype inference for one op; throws GraphBuildError naming the op and shapes on a mismatch. */
export type InferFn<K extends OpType> = (inputs: readonly Tensor[], attrs: OpAttrs[K], op: K) => TensorType[];

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.:/-]*$/;
/** Symbolic dims are plain identifiers, so derived dims ('batch*seq', 'past+seq', 'seq-1') parse back. */
const DIM_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Graph storage: tensors, nodes (kept in creation order, which is a topological order), inputs,
 * initializers and named outputs. Op methods live on Graph (builder.ts); this class holds the data.
 */
export class GraphCore {
  readonly nodes: Node[] = [];
  readonly inputs: Tensor[] = [];
  readonly initializers: Tensor[] = [];
  readonly outputs: { name: string; tensor: Tensor }[] = [];
  private nextId = 0;
  private readonly names = new Set<string>();
  private readonly scalarCache = new Map<string, Tensor>();

  /** A graph input fed at run time. Symbolic dims (strings) are bound by the fed tensor's shape. */
  input(name: string, dtype: DType, shape: Shape): Tensor {
    this.claimName('input', name);
    checkShape('input', name, shape);
    const t = new Tensor(this, this.nextId++, dtype, [...shape], { kind: 'input', name });
    this.inputs.push(t);
    return t;
  }

  /** A constant weight stored in the model. `data` holds elements of `dtype` (or their raw bytes). */
  initializer(name: string, dtype: DType, shape: readonly number[], data: TensorData): Tensor {
    this.claimName('initializer', name);
    checkShape('initializer', name, shape);
    const count = shape.reduce((a, b) => a * b, 1);
    const bytes = count * bytesPerElement(dtype);
    if (data.byteLength !== bytes) {
      throw new GraphBuildError(
        'initializer',
        `'${name}' ${dtype}${formatShape(shape)} needs ${bytes} bytes, got ${data.byteLength}`,
      );
    }
    const t = new Tensor(this, this.nextId++, dtype, [...shape], { kind: 'initializer', name, data });
    this.initializers.push(t);
    return t;
  }

  /** A scalar constant (shape []), shared between all uses of the same value and dtype. */
  scalar(value: number, dtype: DType = 'float32'): Tensor {
    const key = `${dtype}:${Object.is(value, -0) ? '-0' : String(value)}`;
    const cached = this.scalarCache.get(key);
    if (cached) return cached;
    const name = `const.${dtype}.${this.scalarCache.size}`;
    const t = this.initializer(name, dtype, [], encodeValues(dtype, [value]));
    this.scalarCache.set(key, t);
    return t;
  }

  /** A small constant tensor from plain numbers (e.g. a RoPE table or an index list). */
  constant(name: string, dtype: DType, shape: readonly number[], values: ArrayLike<number>): Tensor {
    return this.initializer(name, dtype, shape, encodeValues(dtype, Array.from(values)));
  }

  /** Declares a graph output under a caller-chosen name (e.g. 'logits', 'present.0.key'). */
  output(name: string, tensor: Tensor): void {
    this.claimName('output', name);
    this.own('output', tensor);
    this.outputs.push({ name, tensor });
  }

  /** Adds a node after inferring its output types; used by the op methods and the gradient rules. */
  apply<K extends OpType>(op: K, inputs: readonly Tensor[], attrs: OpAttrs[K]): Tensor[] {
    for (const t of inputs) this.own(op, t);
    const types = opDefs[op].infer(inputs, attrs, op);
    const outputs: Tensor[] = [];
    const node: Node<K> = { id: this.nodes.length, op, inputs: [...inputs], outputs, attrs };
    for (const [index, type] of types.entries()) {
      outputs.push(new Tensor(this, this.nextId++, type.dtype, type.shape, { kind: 'node', node, index }));
    }
    this.nodes.push(node as unknown as Node);
    return outputs;
  }

  private own(op: string, t: Tensor): void {
    if (t.graph !== this) throw new GraphBuildError(op, `tensor ${t.toString()} belongs to another graph`);
  }

  private claimName(op: string, name: string): void {
    if (!NAME_PATTERN.test(name)) throw new GraphBuildError(op, `invalid tensor name '${name}'`);
    if (this.names.has(name)) throw new GraphBuildError(op, `name '${name}' is already used in this graph`);
    this.names.add(name);
  }
}

function checkShape(op: string, name: string, shape: Shape): void {
  for (const d of shape) {
    const ok = typeof d === 'number' ? Number.isInteger(d) && d >= 0 : DIM_PATTERN.test(d);
    if (!ok)
      throw new GraphBuildError(
        op,
        `'${name}' has an invalid dimension ${String(d)} in ${formatShape(shape)}`,
      );
  }
}

export function bytesPerElement(dtype: DType): number {
  switch (dtype) {
    case 'float32':
    case 'int32':
      return 4;
    case 'int64':
      return 8;
    case 'bool':
      return 1;
  }
}

/** Encodes plain numbers into the typed storage of `dtype`. */
export function encodeValues(dtype: DType, values: readonly number[]): TensorData {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'int32':
      return Int32Array.from(values);
    case 'int64':
      return BigInt64Array.from(values, (v) => BigInt(v));
    case 'bool':
      return Uint8Array.from(values, (v) => (v ? 1 : 0));
  }
}
