/**
 * Folds a LoRA adapter into its base weights, W' = W + (alpha / r) · B · A, and writes the result as an
 * ordinary Hugging Face model folder (model.safetensors + config.json + tokenizer files) that transformers
 * loads with AutoModelForCausalLM.from_pretrained.
 */
import type { ModelConfig } from '../../engine/arch/config.ts';
import { loraTable } from '../../engine/arch/lora.ts';
import { parameterTable } from '../../engine/arch/params.ts';
import { writeSafetensors } from '../safetensors-write.ts';
import { PeftError } from './errors.ts';
import type { PeftAdapter } from './types.ts';

export const MERGED_WEIGHTS_FILE = 'model.safetensors';

/** Files of the base model folder that the merged folder copies unchanged. */
const COPIED_FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
];

function tensorOf(adapter: PeftAdapter, name: string, shape: readonly number[]): Float32Array {
  const tensor = adapter.tensors.get(name);
  if (tensor === undefined) throw new PeftError('adapter', name, 'missing; the adapter cannot be merged');
  const size = shape.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== size || tensor.shape.join(',') !== shape.join(','))
    throw new PeftError(
      'adapter',
      name,
      `has shape [${tensor.shape.join(', ')}], expected [${shape.join(', ')}]`,
    );
  return tensor.data;
}

/**
 * Base weights (parameter-table names) + a CAUSAL_LM adapter -> merged weights. The base map is not
 * modified; tensors without an adapter are shared, not copied.
 */
export function mergeLora(
  config: ModelConfig,
  base: ReadonlyMap<string, Float32Array>,
  adapter: PeftAdapter,
): Map<string, Float32Array> {
  if (adapter.config.taskType !== 'CAUSAL_LM')
    throw new PeftError(
      'adapter_config.json',
      'task_type',
      `${adapter.config.taskType} adapters carry a classifier head and do not merge into a language model; merge a CAUSAL_LM adapter`,
    );
  const merged = new Map(base);
  const lora = {
    rank: adapter.config.rank,
    alpha: adapter.config.alpha,
    targets: adapter.config.targetModules,
  };
  const scale = lora.alpha / lora.rank;
  for (const spec of loraTable(config, lora)) {
    const weightName = `${spec.module}.weight`;
    const weight = base.get(weightName);
    if (weight === undefined) throw new PeftError('base model', weightName, 'missing from the base weights');
    const a = tensorOf(adapter, spec.aName, spec.aShape); // (r, in)
    const b = tensorOf(adapter, spec.bName, spec.bShape); // (out, r)
    const { inFeatures: nIn, outFeatures: nOut, rank: r } = spec;
    const out = Float32Array.from(weight);
    // Accumulate in float64 so the merged float32 weight is the correctly rounded sum.
    const row = new Float64Array(nIn);
    for (let o = 0; o < nOut; o++) {
      row.fill(0);
      for (let k = 0; k < r; k++) {
        const bk = (b[o * r + k] as number) * scale;
        if (bk === 0) continue;
        for (let i = 0; i < nIn; i++) row[i] = (row[i] as number) + bk * (a[k * nIn + i] as number);
      }
      if (spec.layout === 'out_in') {
        // nn.Linear: W [out, in]
        for (let i = 0; i < nIn; i++) out[o * nIn + i] = (weight[o * nIn + i] as number) + (row[i] as number);
      } else {
        // GPT-2 Conv1D: W [in, out], so the update is (B · A)^T
        for (let i = 0; i < nIn; i++)
          out[i * nOut + o] = (weight[i * nOut + o] as number) + (row[i] as number);
      }
    }
    merged.set(weightName, out);
  }
  return merged;
}

/** model.safetensors of a full weight map, tensor names as transformers saves them. */
export function mergedSafetensors(
  config: ModelConfig,
  weights: ReadonlyMap<string, Float32Array>,
): Uint8Array {
  const tensors = parameterTable(config).map((spec) => {
    const data = weights.get(spec.name);
    if (data === undefined)
      throw new PeftError(MERGED_WEIGHTS_FILE, spec.name, 'missing from the merged weights');
    return { name: spec.name, dtype: 'F32' as const, shape: spec.shape, data };
  });
  return writeSafetensors(tensors, { metadata: { format: 'pt' }, label: MERGED_WEIGHTS_FILE });
}

/**
 * The merged model folder: the base folder's config and tokenizer files unchanged, merged weights, and a
 * short model card. `baseFiles` holds the base model's files by name (config.json is required).
 */
export function mergedModelFiles(
  config: ModelConfig,
  baseFiles: ReadonlyMap<string, Uint8Array>,
  merged: ReadonlyMap<string, Float32Array>,
  card: string,
): Record<string, Uint8Array> {
  if (!baseFiles.has('config.json'))
    throw new PeftError('base model', 'config.json', 'missing; the merged model needs the base config');
  const files: Record<string, Uint8Array> = {};
  for (const name of COPIED_FILES) {
    const bytes = baseFiles.get(name);
    if (bytes !== undefined) files[name] = bytes;
  }
  files[MERGED_WEIGHTS_FILE] = mergedSafetensors(config, merged);
  files['README.md'] = new TextEncoder().encode(card);
  return files;
}
