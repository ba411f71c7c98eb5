/**
 * A model ready to generate: tokenizer, prompt framing, decode session on the chosen backend, and its weights
 * bound once as graph inputs ('gpu-buffer' on WebGPU, so the KV cache and the weights stay on the device).
 * Our own models (a tokenizer with the punchline special tokens) and imported ones (any byte-level BPE
 * tokenizer, src/models) load the same way; only the tokenizer and the framing differ.
 */
import { parseModelConfigText, type ModelConfig } from '../../engine/arch/config.ts';
import { parameterTable } from '../../engine/arch/params.ts';
import { loadWeights } from '../../engine/arch/weights.ts';
import { buildDecodeGraph } from '../../engine/graphs/decode.ts';
import { exportOnnx } from '../../engine/onnx/serialize.ts';
import { parseSafetensors } from '../../formats/safetensors.ts';
import { planWeights, type DeviceLimits } from '../../models/device-fit.ts';
import { eosIdsFromConfigs } from '../../models/eos-ids.ts';
import { createImportedTokenizer, type ImportedTokenizer } from '../../models/imported-tokenizer.ts';
import { decodeSpecFromSession, kvCacheOnGpu, type DecodeSpec } from '../../runtime/decode-io.ts';
import type { ModelSession, OrtTensor, Runtime } from '../../runtime/types.ts';
import { bindWeights, releaseWeights } from '../../runtime/weights.ts';
import { createTokenizer, SPECIAL_TOKENS, type PunchlineTokenizer } from '../../tokenizer/index.ts';
import { WorkerError } from '../errors.ts';
import { controlCodeFraming, importedFraming, type PromptFraming } from './prompt-framing.ts';

interface DecoderModelBase {
  id: string;
  config: ModelConfig;
  /** How requests become prompt ids, and the ids that end a candidate. */
  framing: PromptFraming;
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

/** 'own': trained with our tokenizer and its control codes; 'imported': any other byte-level BPE model. */
export type ModelTokenizer =
  { kind: 'own'; tokenizer: PunchlineTokenizer } | { kind: 'imported'; tokenizer: ImportedTokenizer };

export type DecoderModel = DecoderModelBase & ModelTokenizer;
export type OwnDecoderModel = Extract<DecoderModel, { kind: 'own' }>;

/** The model as one of ours, for code that needs its language tags, control codes and end-of-joke token. */
export function asOwnModel(model: DecoderModel): OwnDecoderModel {
  if (model.kind !== 'own')
    throw new WorkerError(
      'InvalidRequest',
      `"${model.id}" is an imported model: it has no language tags, control codes or end-of-joke token.`,
    );
  return model;
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

/** A tokenizer.json that carries every punchline special token is one of ours. */
function hasPunchlineTokens(json: unknown): boolean {
  const added = (json as { added_tokens?: { content?: unknown; special?: unknown }[] }).added_tokens;
  if (!Array.isArray(added)) return false;
  const special = new Set(added.filter((t) => t.special === true).map((t) => t.content));
  return SPECIAL_TOKENS.every((token) => special.has(token));
}

/** Our tokenizer when tokenizer.json has the punchline special tokens, otherwise the imported-model tokenizer. */
export function readModelTokenizer(modelId: string, files: ReadonlyMap<string, ArrayBuffer>): ModelTokenizer {
  const json = files.get('tokenizer.json');
  const tokenizerConfig = files.get('tokenizer_config.json');
  if (!json || !tokenizerConfig)
    throw new WorkerError('ModelFormatError', `${modelId} has no tokenizer.json/tokenizer_config.json`);
  const tokenizerJson = parseJson('tokenizer.json', json, modelId);
  const configJson = parseJson('tokenizer_config.json', tokenizerConfig, modelId);
  if (hasPunchlineTokens(tokenizerJson))
    return {
      kind: 'own',
      tokenizer: createTokenizer(tokenizerJson, configJson, `${modelId}/tokenizer.json`),
    };
  const optional = (name: string) => {
    const bytes = files.get(name);
    return bytes ? parseJson(name, bytes, modelId) : undefined;
  };
  try {
    const tokenizer = createImportedTokenizer(
      tokenizerJson,
      configJson,
      `${modelId}/tokenizer.json`,
      eosIdsFromConfigs(optional('config.json'), optional('generation_config.json')),
    );
    return { kind: 'imported', tokenizer };
  } catch (error) {
    throw new WorkerError('ModelFormatError', (error as Error).message);
  }
}

export async function createDecoderModel(
  modelId: string,
  files: ReadonlyMap<string, ArrayBuffer>,
  runtime: Runtime,
  provider: 'webgpu' | 'wasm' | 'cpu',
  /** The WebGPU adapter's buffer limits, when the backend probe read them. */
  gpuLimits?: Pick<DeviceLimits, 'maxBufferSize' | 'maxStorageBufferBindingSize'>,
): Promise<DecoderModel> {
  const configBytes = files.get('config.json');
  const weightBytes = files.get('model.safetensors');
  if (!configBytes || !weightBytes)
    throw new WorkerError('ModelFormatError', `${modelId} has no config.json or model.safetensors`);
  const config = readConfig(modelId, configBytes);
  // Weights are held as float32 here (adapters are merged into them); 4-bit weights are src/models' tools only.
  const fit = planWeights(config, { backend: provider, ...gpuLimits });
  if (fit.problems.length > 0)
    throw new WorkerError(
      'ModelTooLarge',
      `${modelId} does not fit this device with float32 weights: ${fit.problems.join(' ')}`,
    );
  const chosen = readModelTokenizer(modelId, files);
  const { tokenizer } = chosen;
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new WorkerError(
      'ModelFormatError',
      `${modelId}: tokenizer.json has ${tokenizer.vocabSize} tokens but config.json vocab_size is ${config.vocabSize}`,
    );
  }
  const framing =
    chosen.kind === 'own'
      ? controlCodeFraming(chosen.tokenizer, config.eosTokenIds)
      : importedFraming(chosen.tokenizer, config.eosTokenIds);
  if (framing.eosTokenIds.length === 0)
    throw new WorkerError(
      'ModelFormatError',
      `${modelId}: no end-of-sequence token; set eos_token in tokenizer_config.json or eos_token_id in config.json`,
    );
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
  const base: DecoderModelBase = {
    id: modelId,
    config,
    framing,
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
  return { ...base, ...chosen };
}
