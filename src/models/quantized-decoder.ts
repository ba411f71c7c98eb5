/**
 * A decode session whose projection weights stay 4- or 8-bit on the device (MatMulNBits), with the remaining
 * float32 weights (embedding, norms) bound once as inputs. It has the Decoder shape of src/eval/decoder.ts, so
 * generation, perplexity and greedy chat run on it unchanged.
 */
import type { ModelConfig } from '../engine/arch/config.ts';
import { parameterTable } from '../engine/arch/params.ts';
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
  /** Bits of the language-model head (the largest matrix; errors there move every logit). Default: `bits`. */
  headBits?: QuantBits;
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
  const graph = exportOnnx(buildDecodeGraph(config, { weights: { kind: 'inputs' } }));
  const { model, ...quantization } = quantizeGraph(graph, matrices, {
    bits: options.bits,
    blockSize: options.blockSize,
    zeroPoints: options.zeroPoints ?? 'uint8',
    bitsFor: (name) =>
      name === 'lm_head.weight' || (config.tieWordEmbeddings && name === 'model.embed_tokens.weight')
        ? (options.headBits ?? options.bits)
        : options.bits,
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
