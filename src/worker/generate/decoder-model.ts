/**
 * A model ready to generate: tokenizer, decode session on the chosen backend, and its weights bound once as
 * graph inputs ('gpu-buffer' on WebGPU, so the KV cache and the weights stay on the device).
 */
import { parseModelConfigText, type ModelConfig } from '../../engine/arch/config.ts';
import { parameterTable } from '../../engine/arch/params.ts';
import { loadWeights } from '../../engine/arch/weights.ts';
import { buildDecodeGraph } from '../../engine/graphs/decode.ts';
import { exportOnnx } from '../../engine/onnx/serialize.ts';
import { parseSafetensors } from '../../formats/safetensors.ts';
import { decodeSpecFromSession, kvCacheOnGpu, type DecodeSpec } from '../../runtime/decode-io.ts';
import type { ModelSession, OrtTensor, Runtime } from '../../runtime/types.ts';
import { bindWeights, releaseWeights } from '../../runtime/weights.ts';
import { createTokenizer, type PunchlineTokenizer } from '../../tokenizer/index.ts';
import { WorkerError } from '../errors.ts';

export interface DecoderModel {
  id: string;
  config: ModelConfig;
  tokenizer: PunchlineTokenizer;
  session: ModelSession;
  spec: DecodeSpec;
  /** The base weights as bound for the session. */
  weights: Record<string, OrtTensor>;
  /** The same weights on the CPU, for merging adapters. */
  baseWeights: ReadonlyMap<string, Float32Array>;
  /** Binds another full set of weights (e.g. base + merged adapter) where the session expects them. */
  bindWeightSet(weights: ReadonlyMap<string, Float32Array>): Promise<Record<string, OrtTensor>>;
  runtime: Runtime;
  dispose(): Promise<void>;
}

const text = (bytes: ArrayBuffer) => new TextDecoder().decode(bytes);

function parseJson(name: string, bytes: ArrayBuffer, modelId: string): unknown {
  try {
    return JSON.parse(text(bytes)) as unknown;
  } catch (error) {
    throw new WorkerError(
      'ModelFormatError',
      `${modelId}/${name} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

export function readConfig(modelId: string, bytes: ArrayBuffer): ModelConfig {
  try {
    return parseModelConfigText(text(bytes));
  } catch (error) {
    throw new WorkerError('ModelFormatError', `${modelId}/config.json: ${(error as Error).message}`);
  }
}

export function readTokenizer(modelId: string, files: ReadonlyMap<string, ArrayBuffer>): PunchlineTokenizer {
  const json = files.get('tokenizer.json');
  const config = files.get('tokenizer_config.json');
  if (!json || !config)
    throw new WorkerError('ModelFormatError', `${modelId} has no tokenizer.json/tokenizer_config.json`);
  return createTokenizer(
    parseJson('tokenizer.json', json, modelId),
    parseJson('tokenizer_config.json', config, modelId),
    `${modelId}/tokenizer.json`,
  );
}

export async function createDecoderModel(
  modelId: string,
  files: ReadonlyMap<string, ArrayBuffer>,
  runtime: Runtime,
  provider: 'webgpu' | 'wasm' | 'cpu',
): Promise<DecoderModel> {
  const configBytes = files.get('config.json');
  const weightBytes = files.get('model.safetensors');
  if (!configBytes || !weightBytes)
    throw new WorkerError('ModelFormatError', `${modelId} has no config.json or model.safetensors`);
  const config = readConfig(modelId, configBytes);
  const tokenizer = readTokenizer(modelId, files);
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new WorkerError(
      'ModelFormatError',
      `${modelId}: tokenizer.json has ${tokenizer.vocabSize} tokens but config.json vocab_size is ${config.vocabSize}`,
    );
  }
  let weights: Map<string, Float32Array>;
  try {
    weights = loadWeights(
      config,
      parseSafetensors(new Uint8Array(weightBytes), `${modelId}/model.safetensors`),
    );
  } catch (error) {
    throw new WorkerError('ModelFormatError', (error as Error).message);
  }
  const onGpu = provider === 'webgpu';
  const session = await runtime.createSession(
    exportOnnx(buildDecodeGraph(config, { weights: { kind: 'inputs' } })),
    {
      label: `decode graph (${modelId})`,
      executionProviders: [provider],
      ...(onGpu ? { preferredOutputLocation: kvCacheOnGpu(config.numLayers) } : {}),
    },
  );
  const placement = onGpu ? 'gpu-buffer' : 'cpu';
  const bindWeightSet = (set: ReadonlyMap<string, Float32Array>) =>
    bindWeights(
      runtime,
      Object.fromEntries(
        parameterTable(config).map((spec) => [
          spec.name,
          { data: set.get(spec.name) as Float32Array, dims: spec.shape },
        ]),
      ),
      placement,
    );
  const bound = await bindWeightSet(weights);
  return {
    id: modelId,
    config,
    tokenizer,
    session,
    spec: decodeSpecFromSession(session, config.maxPositions),
    weights: bound,
    baseWeights: weights,
    bindWeightSet,
    runtime,
    async dispose() {
      releaseWeights(bound);
      await session.dispose();
    },
  };
}
