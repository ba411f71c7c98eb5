/**
 * A Llama GGUF as a Hugging Face checkpoint: config.json, float32 weights under transformers' names
 * (Q/K un-permuted), validated against the engine's parameter table.
 */
import { ConfigError, parseModelConfig, type ModelConfig } from '../../engine/arch/config.ts';
import { parameterTable } from '../../engine/arch/params.ts';
import { dequantizeTensor } from './dequantize.ts';
import { GgufError } from './errors.ts';
import { llamaConfigFromGguf, type HfConfigJson } from './llama-config.ts';
import { hfLlamaName, permutedHeads, unpermuteRows } from './llama-names.ts';
import { rowMajorShape, type GgufFile } from './reader.ts';

export interface HfTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface ConvertedLlama {
  configJson: HfConfigJson;
  config: ModelConfig;
  /** In parameter-table order. */
  tensors: HfTensor[];
  /** GGUF tensor types by count, e.g. { Q4_1: 210, F32: 61, Q8_0: 1 }. */
  sourceTypes: Record<string, number>;
}

export interface ConvertOptions {
  /** Called after each tensor with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Maps every GGUF tensor to its HF name, refusing tensors the conversion would otherwise drop. */
function nameMap(file: GgufFile): Map<string, string> {
  const map = new Map<string, string>();
  for (const info of file.tensors) {
    const hf = hfLlamaName(info.name);
    if (hf === null) {
      throw new GgufError(
        file.label,
        `tensor "${info.name}"`,
        'has no Hugging Face Llama counterpart; this file is not a plain Llama model',
      );
    }
    map.set(hf, info.name);
  }
  return map;
}

/** The engine's own config check, reported against the GGUF file. */
function engineConfig(file: GgufFile, configJson: HfConfigJson): ModelConfig {
  try {
    return parseModelConfig(configJson);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new GgufError(file.label, `metadata → config.json ${error.field}`, error.message);
  }
}

export function convertLlamaGguf(file: GgufFile, options: ConvertOptions = {}): ConvertedLlama {
  const configJson = llamaConfigFromGguf(file);
  const config = engineConfig(file, configJson);
  const names = nameMap(file);
  const table = parameterTable(config);
  const tensors: HfTensor[] = [];
  const sourceTypes: Record<string, number> = {};
  for (const info of file.tensors) sourceTypes[info.type.name] = (sourceTypes[info.type.name] ?? 0) + 1;

  for (const [index, spec] of table.entries()) {
    const ggufName = names.get(spec.name);
    if (ggufName === undefined) {
      throw new GgufError(
        file.label,
        null,
        `missing tensor for "${spec.name}" (shape [${spec.shape.join(', ')}])`,
      );
    }
    const info = file.byName.get(ggufName);
    if (info === undefined)
      throw new GgufError(file.label, `tensor "${ggufName}"`, 'vanished from the index');
    const shape = rowMajorShape(info);
    if (!sameShape(shape, spec.shape)) {
      throw new GgufError(
        file.label,
        `tensor "${ggufName}"`,
        `has shape [${shape.join(', ')}] but the metadata implies [${spec.shape.join(', ')}] for "${spec.name}"`,
      );
    }
    let data = dequantizeTensor(file, info);
    const heads = permutedHeads(ggufName, config.numHeads, config.numKvHeads);
    if (heads !== null) data = unpermuteRows(data, shape[0] ?? 0, shape[1] ?? 0, heads);
    tensors.push({ name: spec.name, shape, data });
    options.onProgress?.(index + 1, table.length);
  }
  const used = new Set(table.map((s) => s.name));
  const extra = [...names.keys()].filter((n) => !used.has(n));
  if (extra.length > 0) {
    throw new GgufError(
      file.label,
      `tensor "${names.get(extra[0] ?? '')}"`,
      `is not used by a model with this metadata (${extra.length} such tensors)`,
    );
  }
  return { configJson, config, tensors, sourceTypes };
}
