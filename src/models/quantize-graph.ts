/**
 * Keeps a model's projection weights quantised on the device: rewrites an exported graph so that every
 * Gemm(x, W, transB=1) whose W is a chosen [out, in] weight becomes com.microsoft MatMulNBits over 4- or 8-bit
 * blocks held as initializers. The WASM/CPU EP and the WebGPU EP of onnxruntime run MatMulNBits natively.
 *
 * A weight that other nodes still read (the tied embedding, also gathered for the input) stays a graph input;
 * the others stop being inputs, so only the quantised copy is ever held.
 */
import { ModelProto } from '../engine/onnx/schema.ts';
import { quantizeBlockwise, quantizedBytes, type QuantBits, type ZeroPointType } from './block-quant.ts';

export interface QuantizeOptions {
  bits: QuantBits;
  /** Power of two >= 16; 32 matches GGUF Q4_0/Q4_1/Q8_0 blocks. */
  blockSize: number;
  /** Which [out, in] weights to quantise, by input name (default: every Gemm weight with transB). */
  include?: (name: string) => boolean;
  /** Default 'uint8' (MLAS's fast kernels); 'float' keeps each block's exact minimum. */
  zeroPoints?: ZeroPointType;
  /** Overrides `bits` for some weights, e.g. 8 bits for the language-model head. */
  bitsFor?: (name: string) => QuantBits;
}

export interface QuantizedGraph {
  model: Uint8Array;
  /** Weight names now held quantised inside the model. */
  quantized: string[];
  /** Weight inputs the model no longer takes. */
  removedInputs: string[];
  /** Bytes of the quantised weights versus the float32 weights they replace. */
  quantizedBytes: number;
  float32Bytes: number;
}

interface AttributeMsg {
  name: string;
  i?: number | { toNumber(): number };
  type?: number;
}
interface NodeMsg {
  input: string[];
  output: string[];
  name?: string;
  opType: string;
  domain?: string;
  attribute: AttributeMsg[];
}
interface TensorMsg {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}
interface ModelMsg {
  graph: { node: NodeMsg[]; initializer: TensorMsg[]; input: { name: string }[] };
  opsetImport: { domain: string; version: number }[];
}

const ONNX_FLOAT = 1;
const ONNX_UINT8 = 2;
const ATTR_INT = 2;

const intAttr = (name: string, value: number): AttributeMsg => ({ name, i: value, type: ATTR_INT });

function attrInt(node: NodeMsg, name: string): number | undefined {
  const value = node.attribute.find((a) => a.name === name)?.i;
  return value === undefined ? undefined : typeof value === 'number' ? value : value.toNumber();
}

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * `weights` gives each candidate weight's float32 values and [out, in] shape; a Gemm whose B is not in
 * `weights` is left alone.
 */
export function quantizeGraph(
  modelBytes: Uint8Array,
  weights: ReadonlyMap<string, { data: Float32Array; shape: readonly number[] }>,
  options: QuantizeOptions,
): QuantizedGraph {
  const model = ModelProto.decode(modelBytes) as unknown as ModelMsg;
  const { graph } = model;
  const include = options.include ?? (() => true);
  const quantizedNames = new Map<string, string[]>();
  let qBytes = 0;
  let fBytes = 0;
  graph.node = graph.node.map((node) => {
    const weightName = node.input[1];
    if (node.opType !== 'Gemm' || weightName === undefined || node.input.length > 2) return node;
    if (attrInt(node, 'transB') !== 1 || (attrInt(node, 'transA') ?? 0) !== 0) return node;
    const weight = weights.get(weightName);
    if (weight === undefined || !include(weightName)) return node;
    if (weight.shape.length !== 2)
      throw new RangeError(
        `quantise: ${weightName} has shape [${weight.shape.join(', ')}], expected [out, in]`,
      );
    const [N, K] = weight.shape as [number, number];
    const bits = options.bitsFor?.(weightName) ?? options.bits;
    if (bits === 8 && options.zeroPoints === 'float')
      throw new RangeError(
        `quantise: ${weightName}: float zero points run only with 4 bits in onnxruntime's MatMulNBits; use uint8 zero points for 8 bits`,
      );
    let names = quantizedNames.get(weightName);
    if (names === undefined) {
      const q = quantizeBlockwise(weight.data, N, K, bits, options.blockSize, options.zeroPoints ?? 'uint8');
      const kBlocks = Math.ceil(K / options.blockSize);
      names = [
        `${weightName}.q${bits}`,
        `${weightName}.q${bits}.scales`,
        `${weightName}.q${bits}.zero_points`,
      ];
      graph.initializer.push(
        {
          name: names[0] as string,
          dims: [N, kBlocks, (options.blockSize * bits) / 8],
          dataType: ONNX_UINT8,
          rawData: q.packed,
        },
        { name: names[1] as string, dims: [N * kBlocks], dataType: ONNX_FLOAT, rawData: bytesOf(q.scales) },
        {
          name: names[2] as string,
          dims: [q.zeroPoints.length],
          dataType: q.zeroPoints instanceof Float32Array ? ONNX_FLOAT : ONNX_UINT8,
          rawData: bytesOf(q.zeroPoints),
        },
      );
      quantizedNames.set(weightName, names);
      qBytes += quantizedBytes(q);
      fBytes += N * K * 4;
    }
    return {
      input: [node.input[0] as string, ...names],
      output: node.output,
      name: `${node.name ?? weightName}.nbits`,
      opType: 'MatMulNBits',
      domain: 'com.microsoft',
      attribute: [
        intAttr('K', K),
        intAttr('N', N),
        intAttr('bits', bits),
        intAttr('block_size', options.blockSize),
        // fp32 activations and accumulation: the same arithmetic as the float32 graph, weights aside
        intAttr('accuracy_level', 1),
      ],
    };
  });
  const stillRead = new Set(graph.node.flatMap((n) => n.input));
  const removedInputs = [...quantizedNames.keys()].filter((name) => !stillRead.has(name));
  graph.input = graph.input.filter((i) => !removedInputs.includes(i.name));
  if (!model.opsetImport.some((o) => o.domain === 'com.microsoft'))
    model.opsetImport.push({ domain: 'com.microsoft', version: 1 });
  return {
    model: ModelProto.encode(model as unknown as Record<string, unknown>).finish(),
    quantized: [...quantizedNames.keys()],
    removedInputs,
    quantizedBytes: qBytes,
    float32Bytes: fBytes,
  };
}
