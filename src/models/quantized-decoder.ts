/**
 * A decode session whose projection weights stay 4- or 8-bit on the device (MatMulNBits), with the remaining
 * float32 weights (embedding, norms) bound once as inputs. It has the Decoder shape of src/eval/decoder.ts, so
 * generation, perplexity and greedy chat run on it unchanged.
 */
import type { ModelConfig } from '../engine/arch/config.ts';
import { headName, parameterTable } from '../engine/arch/params.ts';
import { buildDecodeGraph } from '../engine/graphs/decode.ts';
import { exportOnnx } from '../engine/onnx/serialize.ts';
import type { Decoder } from '../eval/decoder.ts';
import { decodeSpecFromSession } from '../runtime/decode-io.ts';
import type { Runtime, SessionConfig, WeightPlacement } from '../runtime/types.ts';
import { bindWeights, releaseWeights } from '../runtime/weights.ts';
import type { QuantBits, ZeroPointType } from './block-quant.ts';
import { quantizeGraph, type QuantizedGraph } from './quantize-graph.ts';

export interface QuantizedDecoderOptions {
  bits: QuantBits;
  blockSize: number;
  /**
   * The language-model head: quantised too, or a float32 Gemm. Default: float32 when the head is the tied
   * embedding (the Gather keeps that float32 table anyway, so quantising it saves no memory), else `bits`.
   */
  head?: QuantBits | 'float32';
  /** See ZeroPointType; default 'uint8'. */
  zeroPoints?: ZeroPointType;
}

export interface QuantizedDecoder extends Decoder {
  quantization: Omit<QuantizedGraph, 'model'>;
}

export async function createQuantizedDecoder(
  runtime: Runtime,
  config: ModelConfig,
  weights: ReadonlyMap<string, Float32Array>,
  placement: WeightPlacement,
  options: QuantizedDecoderOptions,
  sessionConfig: SessionConfig = {},
): Promise<QuantizedDecoder> {
  const specs = parameterTable(config);
  const missing = specs.find((s) => !weights.has(s.name));
  if (missing) throw new Error(`weights: no tensor "${missing.name}" [${missing.shape.join(', ')}]`);
  const matrices = new Map(
    specs
      .filter((s) => s.shape.length === 2)
      .map((s) => [s.name, { data: weights.get(s.name) as Float32Array, shape: s.shape }]),
  );
  const head = options.head ?? (config.tieWordEmbeddings ? 'float32' : options.bits);
  const graph = exportOnnx(buildDecodeGraph(config, { weights: { kind: 'inputs' } }));
  const { model, ...quantization } = quantizeGraph(graph, matrices, {
    bits: options.bits,
    blockSize: options.blockSize,
    zeroPoints: options.zeroPoints ?? 'uint8',
    include: (name) => !(name === headName(config) && head === 'float32'),
    bitsFor: (name) => (name === headName(config) && head !== 'float32' ? head : options.bits),
  });
  const session = await runtime.createSession(model, {
    label: `decode graph (${options.bits}-bit weights)`,
    ...sessionConfig,
  });
  const removed = new Set(quantization.removedInputs);
  const bound = await bindWeights(
    runtime,
    Object.fromEntries(
      specs
        .filter((s) => !removed.has(s.name))
        .map((s) => [s.name, { data: weights.get(s.name) as Float32Array, dims: s.shape }]),
    ),
    placement,
  );
  return {
    runtime,
    config,
    session,
    spec: decodeSpecFromSession(session, config.maxPositions),
    weights: bound,
    quantization,
    async dispose() {
      releaseWeights(bound);
      await session.dispose();
    },
  };
}
