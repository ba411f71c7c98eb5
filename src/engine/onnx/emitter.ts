import { type GraphCore, type Tensor, type TensorData, encodeValues } from '../graph.ts';
import { type DType, type Dim, GraphBuildError, formatShape } from '../types.ts';
import type { EmitContext, OnnxAttr, ShapeEntry } from './emit-context.ts';
import { ONNX_ATTRIBUTE_TYPE, ONNX_DATA_TYPE } from './schema.ts';

export type NodeMsg = {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: object[];
};
export type TensorMsg = { name: string; dims: number[]; dataType: number; rawData: Uint8Array };

export function rawBytes(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function attributeMsg(name: string, a: OnnxAttr): object {
  switch (a.kind) {
    case 'int':
      return { name, type: ONNX_ATTRIBUTE_TYPE.int, i: a.value };
    case 'float':
      return { name, type: ONNX_ATTRIBUTE_TYPE.float, f: a.value };
    case 'string':
      return { name, type: ONNX_ATTRIBUTE_TYPE.string, s: new TextEncoder().encode(a.value) };
    case 'ints':
      return { name, type: ONNX_ATTRIBUTE_TYPE.ints, ints: [...a.value] };
  }
}

const int = (value: number): OnnxAttr => ({ kind: 'int', value });

/** Collects ONNX nodes and constants while the graph's nodes are emitted in order. */
export class Emitter implements EmitContext {
  readonly nodes: NodeMsg[] = [];
  readonly constants: TensorMsg[] = [];
  private readonly names = new Map<Tensor, string>();
  private readonly constCache = new Map<string, string>();
  private readonly dimCache = new Map<string, string>();
  private readonly shapeCache = new Map<string, string>();
  /** Tensors whose values exist at this point of the emitted graph (inputs, then node outputs). */
  private readonly available: Tensor[];
  private counter = 0;

  constructor(graph: GraphCore) {
    this.available = [...graph.inputs];
  }

  nameTensor(t: Tensor, name: string): void {
    this.names.set(t, name);
  }

  markComputed(tensors: readonly Tensor[]): void {
    this.available.push(...tensors);
  }

  valueName(t: Tensor): string {
    const known = this.names.get(t);
    if (known !== undefined) return known;
    if (t.source.kind !== 'node') return t.source.name;
    const name = `t${t.id}`;
    this.names.set(t, name);
    return name;
  }

  temp(hint: string): string {
    return `${hint}.${this.counter++}`;
  }

  add(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs: Record<string, OnnxAttr>,
  ): void {
    const attribute = Object.entries(attrs).map(([k, v]) => attributeMsg(k, v));
    const name = `${opType}_${this.nodes.length}`;
    this.nodes.push({ input: [...inputs], output: [...outputs], name, opType, attribute });
  }

  private constant(key: string, dtype: DType, dims: number[], values: readonly number[]): string {
    const cached = this.constCache.get(key);
    if (cached !== undefined) return cached;
    const name = `c.${this.constCache.size}`;
    this.constCache.set(key, name);
    const rawData = rawBytes(encodeValues(dtype, values));
    this.constants.push({ name, dims, dataType: ONNX_DATA_TYPE[dtype], rawData });
    return name;
  }

  int64Const(values: readonly number[]): string {
    return this.constant(`i64:${values.join(',')}`, 'int64', [values.length], values);
  }

  floatScalar(value: number): string {
    return this.constant(`f32:${value}`, 'float32', [], [value]);
  }

  tableConst(key: string, dtype: 'float32' | 'int32', values: readonly number[]): string {
    return this.constant(`table:${key}`, dtype, [values.length], values);
  }

  onnxDataType(dtype: DType): number {
    return ONNX_DATA_TYPE[dtype];
  }

  private carrierOf(dim: Dim, preferred: readonly Tensor[]): { tensor: Tensor; axis: number } {
    for (const tensor of [...preferred, ...this.available]) {
      const axis = tensor.shape.indexOf(dim);
      if (axis >= 0) return { tensor, axis };
    }
    throw new GraphBuildError('export', `no tensor computed so far carries symbolic dim '${String(dim)}'`);
  }

  dimValue(dim: Dim, carriers: readonly Tensor[]): string {
    if (typeof dim === 'number') return this.int64Const([dim]);
    const { tensor, axis } = this.carrierOf(dim, carriers);
    const source = this.valueName(tensor);
    const key = `${source}:${axis}`;
    const cached = this.dimCache.get(key);
    if (cached !== undefined) return cached;
    const out = this.temp(`dim.${dim}`);
    this.add('Shape', [source], [out], { start: int(axis), end: int(axis + 1) });
    this.dimCache.set(key, out);
    return out;
  }

  shapeOperand(entries: readonly ShapeEntry[], target: readonly Dim[], carriers: readonly Tensor[]): string {
    if (entries.every((e) => typeof e === 'number')) return this.int64Const(entries as number[]);
    const key = formatShape(target);
    const cached = this.shapeCache.get(key);
    if (cached !== undefined) return cached;
    const exact = [...carriers, ...this.available].find(
      (t) => t.rank === target.length && t.shape.every((d, i) => d === target[i]),
    );
    const out = this.temp('shape');
    this.add('Shape', [exact ? this.valueName(exact) : this.buildCarrier(target, carriers)], [out], {});
    this.shapeCache.set(key, out);
    return out;
  }

  /**
   * A float32 zero tensor of shape `target`, broadcast from one [1, .., d, .., 1] piece per symbolic
   * dim (Expand of a scalar to Shape(t, a, a+1)) and one constant holding the literal dims. Its
   * Shape() is the operand; it costs one pass over the target's elements, once per distinct shape.
   */
  private buildCarrier(target: readonly Dim[], carriers: readonly Tensor[]): string {
    const zero = this.floatScalar(0);
    const parts: string[] = [];
    target.forEach((d, i) => {
      if (typeof d === 'number') return;
      const line = this.temp(`carrier.${d}`);
      this.add('Expand', [zero, this.dimValue(d, carriers)], [line], {});
      const placed = this.temp(`carrier.${d}`);
      const axes = target.map((_, j) => (j === i ? -1 : 1));
      this.add('Reshape', [line, this.int64Const(axes)], [placed], {});
      parts.push(placed);
    });
    const literal = target.map((d) => (typeof d === 'number' ? d : 1));
    const literalSize = literal.reduce((a, b) => a * b, 1);
    if (literalSize !== 1) {
      parts.push(
        this.constant(
          `zeros:${literal.join(',')}`,
          'float32',
          literal,
          new Array<number>(literalSize).fill(0),
        ),
      );
    }
    let carrier = parts[0]!;
    for (const part of parts.slice(1)) {
      const sum = this.temp('carrier');
      this.add('Add', [carrier, part], [sum], {});
      carrier = sum;
    }
    return carrier;
  }
}
