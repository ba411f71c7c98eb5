/**
 * A decode session of a model with its weights bound once, on any Runtime (onnxruntime-node in tools and
 * unit tests, onnxruntime-web in the browser), and the next-token distribution after a prompt.
 */
import type { ModelConfig } from '../engine/arch/config.ts';
import { parameterTable } from '../engine/arch/params.ts';
import { buildDecodeGraph } from '../engine/graphs/decode.ts';
import { exportOnnx } from '../engine/onnx/serialize.ts';
import { decodeSpecFromSession, emptyPast, idTensor, type DecodeSpec } from '../runtime/decode-io.ts';
import { readFloat32 } from '../runtime/tensors.ts';
import type { ModelSession, OrtTensor, Runtime, SessionConfig, WeightPlacement } from '../runtime/types.ts';
import { bindWeights, releaseWeights } from '../runtime/weights.ts';

export interface Decoder {
  runtime: Runtime;
  config: ModelConfig;
  session: ModelSession;
  spec: DecodeSpec;
  weights: Record<string, OrtTensor>;
  dispose(): Promise<void>;
}

export async function createDecoder(
  runtime: Runtime,
  config: ModelConfig,
  weights: ReadonlyMap<string, Float32Array>,
  placement: WeightPlacement,
  sessionConfig: SessionConfig = {},
): Promise<Decoder> {
  const specs = parameterTable(config);
  const missing = specs.find((s) => !weights.has(s.name));
  if (missing) throw new Error(`weights: no tensor "${missing.name}" [${missing.shape.join(', ')}]`);
  const session = await runtime.createSession(
    exportOnnx(buildDecodeGraph(config, { weights: { kind: 'inputs' } })),
    {
      label: 'decode graph',
      ...sessionConfig,
    },
  );
  const bound = await bindWeights(
    runtime,
    Object.fromEntries(
      specs.map((s) => [s.name, { data: weights.get(s.name) as Float32Array, dims: s.shape }]),
    ),
    placement,
  );
  return {
    runtime,
    config,
    session,
    spec: decodeSpecFromSession(session, config.maxPositions),
    weights: bound,
    async dispose() {
      releaseWeights(bound);
      await session.dispose();
    },
  };
}

/** softmax(logits) of the token after `promptIds`, in float64 (one prompt pass, empty cache). */
export async function nextTokenProbabilities(
  decoder: Decoder,
  promptIds: readonly number[],
): Promise<Float64Array> {
  const { runtime, spec, session } = decoder;
  const T = promptIds.length;
  if (T === 0) throw new RangeError('nextTokenProbabilities: the prompt is empty');
  const positions = Array.from({ length: T }, (_, i) => i);
  const feeds: Record<string, OrtTensor> = {
    ...decoder.weights,
    ...emptyPast(runtime.tensors, spec, 1),
    input_ids: idTensor(runtime.tensors, spec, promptIds, [1, T]),
    attention_mask: idTensor(runtime.tensors, spec, new Array<number>(T).fill(1), [1, T]),
  };
  if (spec.hasPositionIds) feeds['position_ids'] = idTensor(runtime.tensors, spec, positions, [1, T]);
  const out = await session.run(feeds);
  const logits = await readFloat32(out['logits'] as OrtTensor, `${session.label}: logits`);
  const V = decoder.config.vocabSize;
  const last = logits.subarray((T - 1) * V, T * V);
  let max = -Infinity;
  for (const v of last) max = Math.max(max, v);
  const probs = Float64Array.from(last, (v) => Math.exp(v - max));
  const sum = probs.reduce((a, b) => a + b, 0);
  for (let i = 0; i < V; i++) probs[i] = (probs[i] as number) / sum;
  for (const t of Object.values(out)) if (t.location === 'gpu-buffer') t.dispose();
  return probs;
}
