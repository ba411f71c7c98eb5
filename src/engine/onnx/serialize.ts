import { type GraphCore, type Node, type Tensor, type TensorData, encodeValues } from '../graph.ts';
import { opDefs } from '../ops/registry.ts';
import { type DType, type Dim, type Shape, GraphBuildError } from '../types.ts';
import type { EmitContext, OnnxAttr, ShapeEntry } from './emit-context.ts';
import { IR_VERSION, ModelProto, ONNX_ATTRIBUTE_TYPE, ONNX_DATA_TYPE, OPSET_VERSION } from './schema.ts';

type NodeMsg = { input: string[]; output: string[]; name: string; opType: string; attribute: object[] };
type TensorMsg = { name: string; dims: number[]; dataType: number; rawData: Uint8Array };

export interface ExportOptions {
  /** Graph name written into the model (default 'punchline'). */
  name?: string;
}

/** The nodes needed to compute `targets`, in graph (topological) order. */
export function reachableNodes(graph: GraphCore, targets: readonly Tensor[]): Node[] {
  const needed = new Set<Node>();
  const stack = [...targets];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (t.source.kind !== 'node' || needed.has(t.source.node)) continue;
    needed.add(t.source.node);
    stack.push(...t.source.node.inputs);
  }
  return graph.nodes.filter((n) => needed.has(n));
}

function rawBytes(data: TensorData): Uint8Array {
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

function valueInfo(name: string, dtype: DType, shape: Shape): object {
  const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: ONNX_DATA_TYPE[dtype], shape: { dim } } } };
}

class Emitter implements EmitContext {
  readonly nodes: NodeMsg[] = [];
  readonly constants: TensorMsg[] = [];
  private readonly names = new Map<Tensor, string>();
  private readonly constCache = new Map<string, string>();
  private readonly dimCache = new Map<string, string>();
  private counter = 0;

  constructor(private readonly graph: GraphCore) {}

  nameTensor(t: Tensor, name: string): void {
    this.names.set(t, name);
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
    this.nodes.push({
      input: [...inputs],
      output: [...outputs],
      name: `${opType}_${this.nodes.length}`,
      opType,
      attribute,
    });
  }

  private constant(key: string, dtype: DType, dims: number[], values: readonly number[]): string {
    const cached = this.constCache.get(key);
    if (cached !== undefined) return cached;
    const name = `c.${this.constCache.size}`;
    this.constCache.set(key, name);
    this.constants.push({
      name,
      dims,
      dataType: ONNX_DATA_TYPE[dtype],
      rawData: rawBytes(encodeValues(dtype, values)),
    });
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

  dimValue(dim: Dim, carriers: readonly Tensor[]): string {
    if (typeof dim === 'number') return this.int64Const([dim]);
    for (const t of [...carriers, ...this.graph.inputs]) {
      const axis = t.shape.indexOf(dim);
      if (axis < 0) continue;
      const source = this.valueName(t);
      const key = `${source}:${axis}`;
      const cached = this.dimCache.get(key);
      if (cached !== undefined) return cached;
      const out = this.temp(`dim.${dim}`);
      this.add('Shape', [source], [out], {
        start: { kind: 'int', value: axis },
        end: { kind: 'int', value: axis + 1 },
      });
      this.dimCache.set(key, out);
      return out;
    }
    throw new GraphBuildError('export', `no graph input or operand carries symbolic dim '${dim}'`);
  }

  shapeOperand(entries: readonly ShapeEntry[], carriers: readonly Tensor[]): string {
    if (entries.every((e) => typeof e === 'number')) return this.int64Const(entries as number[]);
    const parts: string[] = [];
    let run: number[] = [];
    for (const e of entries) {
      if (typeof e === 'number') {
        run.push(e);
        continue;
      }
      if (run.length > 0) parts.push(this.int64Const(run));
      run = [];
      parts.push(this.dimValue(e.runtime, carriers));
    }
    if (run.length > 0) parts.push(this.int64Const(run));
    const out = this.temp('shape');
    this.add('Concat', parts, [out], { axis: { kind: 'int', value: 0 } });
    return out;
  }

  onnxDataType(dtype: DType): number {
    return ONNX_DATA_TYPE[dtype];
  }
}

/** Serializes the graph's declared outputs (and only the nodes they need) to ONNX ModelProto bytes. */
export function exportOnnx(graph: GraphCore, options: ExportOptions = {}): Uint8Array {
  if (graph.outputs.length === 0) throw new GraphBuildError('export', 'the graph has no outputs');
  const emitter = new Emitter(graph);
  const identities: { from: Tensor; name: string }[] = [];
  const claimed = new Set<Tensor>();
  for (const { name, tensor } of graph.outputs) {
    if (tensor.source.kind === 'node' && !claimed.has(tensor)) {
      emitter.nameTensor(tensor, name);
      claimed.add(tensor);
    } else {
      identities.push({ from: tensor, name });
    }
  }
  const nodes = reachableNodes(
    graph,
    graph.outputs.map((o) => o.tensor),
  );
  for (const node of nodes) {
    (opDefs[node.op].emit as (n: Node, c: EmitContext) => void)(node, emitter);
  }
  for (const { from, name } of identities) emitter.add('Identity', [emitter.valueName(from)], [name], {});

  const used = new Set(emitter.nodes.flatMap((n) => n.input));
  const initializers: TensorMsg[] = graph.initializers
    .filter((t) => t.source.kind === 'initializer' && used.has(t.source.name))
    .map((t) => {
      const source = t.source as { name: string; data: TensorData };
      return {
        name: source.name,
        dims: t.shape as number[],
        dataType: ONNX_DATA_TYPE[t.dtype],
        rawData: rawBytes(source.data),
      };
    });
  const model = {
    irVersion: IR_VERSION,
    producerName: 'punchline-engine',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    graph: {
      name: options.name ?? 'punchline',
      node: emitter.nodes,
      initializer: [...initializers, ...emitter.constants],
      input: graph.inputs.map((t) => valueInfo(emitter.valueName(t), t.dtype, t.shape)),
      output: graph.outputs.map((o) => valueInfo(o.name, o.tensor.dtype, o.tensor.shape)),
    },
  };
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
