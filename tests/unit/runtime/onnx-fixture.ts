// Hand-written ONNX graphs for runtime tests: they use only the ONNX schema from src/engine/onnx, never the
// graph builder, so these tests exercise the runtime alone.
import { ModelProto, ONNX_ATTRIBUTE_TYPE, ONNX_DATA_TYPE } from '../../../src/engine/onnx/schema.ts';

const ELEM = {
  float32: ONNX_DATA_TYPE.float32,
  int32: ONNX_DATA_TYPE.int32,
  int64: ONNX_DATA_TYPE.int64,
} as const;
export type Elem = keyof typeof ELEM;

export interface ValueInfo {
  name: string;
  elem: Elem;
  shape: ReadonlyArray<number | string>;
}

export interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  ints?: Record<string, number[]>;
  int?: Record<string, number>;
}

export interface Initializer {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

function valueInfo(v: ValueInfo) {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: ELEM[v.elem],
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export function encodeModel(
  graph: { inputs: ValueInfo[]; outputs: ValueInfo[]; nodes: Node[]; initializers?: Initializer[] },
  opset = 17,
): Uint8Array {
  const attributes = (n: Node) => [
    ...Object.entries(n.ints ?? {}).map(([name, ints]) => ({ name, ints, type: ONNX_ATTRIBUTE_TYPE.ints })),
    ...Object.entries(n.int ?? {}).map(([name, i]) => ({ name, i, type: ONNX_ATTRIBUTE_TYPE.int })),
  ];
  const model = {
    irVersion: 8,
    producerName: 'punchline-runtime-tests',
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'fixture',
      node: graph.nodes.map((n, k) => ({
        input: n.inputs,
        output: n.outputs,
        name: `n${k}_${n.op}`,
        opType: n.op,
        attribute: attributes(n),
      })),
      initializer: (graph.initializers ?? []).map((t) => ({
        name: t.name,
        dims: t.dims,
        dataType: t.data instanceof Float32Array ? ELEM.float32 : ELEM.int64,
        rawData: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
      })),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
  };
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/**
 * A toy decode graph with Hugging Face names and a real KV cache (1 layer, 1 kv head, head dim 1):
 * present.0.key = past keys ++ input_ids, present.0.value = past values ++ position_ids, and the logits
 * [batch, 1, vocab] peak at (Σ of the unmasked cached ids) mod vocab: the greedy token depends on the whole
 * cache, so a loop that drops or repeats cache entries produces different tokens.
 */
export function toyDecodeModel(vocab: number): Uint8Array {
  const f32 = 'float32' as const;
  const i64 = 'int64' as const;
  return encodeModel({
    inputs: [
      { name: 'input_ids', elem: i64, shape: ['batch', 'seq'] },
      { name: 'attention_mask', elem: i64, shape: ['batch', 'total'] },
      { name: 'position_ids', elem: i64, shape: ['batch', 'seq'] },
      { name: 'past_key_values.0.key', elem: f32, shape: ['batch', 1, 'past', 1] },
      { name: 'past_key_values.0.value', elem: f32, shape: ['batch', 1, 'past', 1] },
    ],
    outputs: [
      { name: 'logits', elem: f32, shape: ['batch', 1, vocab] },
      { name: 'present.0.key', elem: f32, shape: ['batch', 1, 'total', 1] },
      { name: 'present.0.value', elem: f32, shape: ['batch', 1, 'total', 1] },
    ],
    nodes: [
      { op: 'Cast', inputs: ['input_ids'], outputs: ['ids_f'], int: { to: 1 } },
      { op: 'Unsqueeze', inputs: ['ids_f', 'axes_1_3'], outputs: ['ids4'] },
      {
        op: 'Concat',
        inputs: ['past_key_values.0.key', 'ids4'],
        outputs: ['present.0.key'],
        int: { axis: 2 },
      },
      { op: 'Cast', inputs: ['position_ids'], outputs: ['pos_f'], int: { to: 1 } },
      { op: 'Unsqueeze', inputs: ['pos_f', 'axes_1_3'], outputs: ['pos4'] },
      {
        op: 'Concat',
        inputs: ['past_key_values.0.value', 'pos4'],
        outputs: ['present.0.value'],
        int: { axis: 2 },
      },
      { op: 'Cast', inputs: ['attention_mask'], outputs: ['mask_f'], int: { to: 1 } },
      { op: 'Unsqueeze', inputs: ['mask_f', 'axes_1_3'], outputs: ['mask4'] },
      { op: 'Mul', inputs: ['present.0.key', 'mask4'], outputs: ['kept'] },
      { op: 'ReduceSum', inputs: ['kept', 'axes_1_2_3'], outputs: ['total'], int: { keepdims: 1 } },
      { op: 'Reshape', inputs: ['total', 'shape_b11'], outputs: ['total3'] },
      { op: 'Mod', inputs: ['total3', 'vocab_size'], outputs: ['target'], int: { fmod: 1 } },
      { op: 'Sub', inputs: ['vocab_range', 'target'], outputs: ['diff'] },
      { op: 'Mul', inputs: ['diff', 'diff'], outputs: ['sq'] },
      { op: 'Neg', inputs: ['sq'], outputs: ['logits'] },
    ],
    initializers: [
      { name: 'axes_1_3', dims: [2], data: new BigInt64Array([1n, 3n]) },
      { name: 'axes_1_2_3', dims: [3], data: new BigInt64Array([1n, 2n, 3n]) },
      { name: 'shape_b11', dims: [3], data: new BigInt64Array([-1n, 1n, 1n]) },
      { name: 'vocab_size', dims: [], data: new Float32Array([vocab]) },
      { name: 'vocab_range', dims: [vocab], data: Float32Array.from({ length: vocab }, (_, i) => i) },
    ],
  });
}
