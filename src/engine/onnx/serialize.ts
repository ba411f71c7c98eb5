import type { GraphCore, Node, Tensor, TensorData } from '../graph.ts';
import { opDefs } from '../ops/registry.ts';
import { type DType, type Shape, GraphBuildError } from '../types.ts';
import type { EmitContext } from './emit-context.ts';
import { Emitter, type TensorMsg, rawBytes } from './emitter.ts';
import { IR_VERSION, ModelProto, ONNX_DATA_TYPE, OPSET_VERSION } from './schema.ts';

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

function valueInfo(name: string, dtype: DType, shape: Shape): object {
  const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: ONNX_DATA_TYPE[dtype], shape: { dim } } } };
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
  // Common subexpressions (same op, attributes and inputs) are emitted once, e.g. the transposes and
  // masks that gradient rules rebuild; a node producing a named graph output is always emitted.
  const seen = new Map<string, readonly Tensor[]>();
  for (const node of nodes) {
    const attrs = JSON.stringify(node.attrs, (_k, v: unknown) => (typeof v === 'number' ? String(v) : v));
    const key = `${node.op}|${attrs}|${node.inputs.map((t) => emitter.valueName(t)).join(',')}`;
    const twin = seen.get(key);
    if (twin && !node.outputs.some((t) => claimed.has(t))) {
      node.outputs.forEach((t, i) => emitter.nameTensor(t, emitter.valueName(twin[i]!)));
      continue;
    }
    seen.set(key, node.outputs);
    (opDefs[node.op].emit as (n: Node, c: EmitContext) => void)(node, emitter);
    emitter.markComputed(node.outputs);
  }
  for (const { from, name } of identities) emitter.add('Identity', [emitter.valueName(from)], [name], {});

  const used = new Set(emitter.nodes.flatMap((n) => n.input));
  const initializers: TensorMsg[] = [];
  for (const t of graph.initializers) {
    if (t.source.kind !== 'initializer' || !used.has(t.source.name)) continue;
    const data: TensorData = t.source.data;
    initializers.push({
      name: t.source.name,
      dims: t.shape as number[],
      dataType: ONNX_DATA_TYPE[t.dtype],
      rawData: rawBytes(data),
    });
  }
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
