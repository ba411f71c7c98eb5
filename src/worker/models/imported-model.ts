/**
 * Checks the files of an imported model (a Hugging Face folder, or one rebuilt from a GGUF) before anything
 * is stored: config.json parses, every parameter is in model.safetensors with its shape, the tokenizer loads
 * and fits the vocabulary, the chat template parses. Sharded weights (model.safetensors.index.json and its
 * shards) are merged into one model.safetensors first, so what is stored is the same either way. Returns the
 * model card the picker shows.
 */
import { parseModelConfig, type ModelConfig } from '../../engine/arch/config.ts';
import { resolveCheckpoint } from '../../engine/arch/checkpoint.ts';
import { parameterCount } from '../../engine/arch/params.ts';
import { parseSafetensorsHeader } from '../../formats/safetensors.ts';
import {
  SHARD_INDEX_FILE,
  isShardFileName,
  mergeShardBytes,
  parseShardIndex,
} from '../../formats/safetensors-shards.ts';
import { createImportedTokenizer } from '../../models/imported-tokenizer.ts';
import { eosIdsFromConfigs } from '../../models/eos-ids.ts';

export class ModelImportError extends Error {
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'ModelImportError';
  }
}

export const MODEL_FILES = [
  'config.json',
  'model.safetensors',
  'tokenizer.json',
  'tokenizer_config.json',
] as const;
export const OPTIONAL_FILES = ['README.md', 'generation_config.json'] as const;

export interface ImportedModelCard {
  name: string;
  architecture: ModelConfig['arch'];
  parameters: number;
  layers: number;
  hiddenSize: number;
  contextLength: number;
  vocabulary: number;
  /** From the README front matter (`license: ...`), or null when not stated. */
  license: string | null;
  instruct: boolean;
  /** Bytes of all files. */
  bytes: number;
}

export interface ImportedModel {
  card: ImportedModelCard;
  config: ModelConfig;
  /** The files to store, by their name in the folder. */
  files: Map<string, Uint8Array>;
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function parseJsonFile(files: ReadonlyMap<string, Uint8Array>, name: string, source: string): unknown {
  const bytes = files.get(name);
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(text(bytes)) as unknown;
  } catch (error) {
    throw new ModelImportError(`${source}/${name}`, `not valid JSON (${(error as Error).message})`);
  }
}

function licenseOf(readme: Uint8Array | undefined): string | null {
  if (readme === undefined) return null;
  const front = /^---\n([\s\S]*?)\n---/.exec(text(readme));
  const line = front?.[1]?.split('\n').find((l) => l.startsWith('license:'));
  return line === undefined ? null : line.slice('license:'.length).trim() || null;
}

/**
 * The folder's files with sharded weights merged into model.safetensors. A folder with model.safetensors keeps
 * it (as transformers does); shards without their index cannot be put together.
 */
export function mergeShardedWeights(
  files: ReadonlyMap<string, Uint8Array>,
  source: string,
): ReadonlyMap<string, Uint8Array> {
  const shards = [...files.keys()].filter(isShardFileName);
  const indexBytes = files.get(SHARD_INDEX_FILE);
  if (indexBytes === undefined) {
    if (shards.length > 0)
      throw new ModelImportError(
        source,
        `the weights are sharded (${shards.join(', ')}) but ${SHARD_INDEX_FILE} is missing; ` +
          'add it from the same model, it says which shard holds each tensor',
      );
    return files;
  }
  if (files.has('model.safetensors')) return files;
  let merged: Uint8Array;
  try {
    merged = mergeShardBytes(parseShardIndex(indexBytes, SHARD_INDEX_FILE), files, shards);
  } catch (error) {
    throw new ModelImportError(source, (error as Error).message);
  }
  const out = new Map([...files].filter(([f]) => f !== SHARD_INDEX_FILE && !isShardFileName(f)));
  out.set('model.safetensors', merged);
  return out;
}

/**
 * `given` is keyed by file name; a dragged-in folder's paths ("smollm2/config.json") are reduced to names by
 * the caller. `source` names the folder, file or URL in every error.
 */
export function validateImportedModel(
  given: ReadonlyMap<string, Uint8Array>,
  source: string,
  name: string,
): ImportedModel {
  const files = mergeShardedWeights(given, source);
  const missing = MODEL_FILES.filter((f) => !files.has(f));
  if (missing.length > 0)
    throw new ModelImportError(
      source,
      `missing ${missing.join(', ').replace('model.safetensors', `model.safetensors (or ${SHARD_INDEX_FILE} with its shards)`)}; ` +
        `a model folder needs ${MODEL_FILES.join(', ')}`,
    );
  let config: ModelConfig;
  try {
    config = parseModelConfig(parseJsonFile(files, 'config.json', source));
  } catch (error) {
    if (error instanceof ModelImportError) throw error;
    throw new ModelImportError(`${source}/config.json`, (error as Error).message);
  }
  const weights = files.get('model.safetensors') as Uint8Array;
  try {
    const header = parseSafetensorsHeader(weights, weights.length, `${source}/model.safetensors`);
    resolveCheckpoint(config, new Map(header.tensors.map((t) => [t.name, t])), `${source}/model.safetensors`);
  } catch (error) {
    throw new ModelImportError(`${source}/model.safetensors`, (error as Error).message);
  }
  const tokenizer = createImportedTokenizer(
    parseJsonFile(files, 'tokenizer.json', source),
    parseJsonFile(files, 'tokenizer_config.json', source),
    `${source}/tokenizer.json`,
    eosIdsFromConfigs(
      parseJsonFile(files, 'config.json', source),
      parseJsonFile(files, 'generation_config.json', source),
    ),
  );
  if (tokenizer.vocabSize > config.vocabSize)
    throw new ModelImportError(
      source,
      `tokenizer.json has ${tokenizer.vocabSize} tokens but config.json vocab_size is ${config.vocabSize}; they belong to different models`,
    );
  if (tokenizer.eosTokenIds.length === 0)
    throw new ModelImportError(source, 'no end-of-sequence token: set eos_token in tokenizer_config.json');
  const kept = new Map(
    [...files].filter(
      ([f]) =>
        (MODEL_FILES as readonly string[]).includes(f) || (OPTIONAL_FILES as readonly string[]).includes(f),
    ),
  );
  return {
    config,
    files: kept,
    card: {
      name,
      architecture: config.arch,
      parameters: parameterCount(config),
      layers: config.numLayers,
      hiddenSize: config.hiddenSize,
      contextLength: config.maxPositions,
      vocabulary: config.vocabSize,
      license: licenseOf(files.get('README.md')),
      instruct: tokenizer.chatTemplate !== null,
      bytes: [...kept.values()].reduce((sum, b) => sum + b.byteLength, 0),
    },
  };
}
