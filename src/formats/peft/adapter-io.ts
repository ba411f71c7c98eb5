/**
 * Export of a LoRA adapter as PEFT files (zipped or not) and import of PEFT adapters (a zip, or the two files),
 * validated against the base model they are meant for.
 */
import type { ModelConfig } from '../../engine/arch/config.ts';
import { parseSafetensors, readFloat32, SafetensorsError, type SafetensorsFile } from '../safetensors.ts';
import { writeSafetensors } from '../safetensors-write.ts';
import { adapterModelCard } from './card.ts';
import { adapterConfigJson, parseAdapterConfig } from './config.ts';
import { PeftError } from './errors.ts';
import { parsePunchlineMeta, punchlineMetaJson } from './meta.ts';
import { checkTensors, expectedTensors, PEFT_HEAD_NAME, type TensorHeaderInfo } from './tensors.ts';
import {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  HEAD_NAME,
  PUNCHLINE_META_FILE,
  README_FILE,
  type AdapterTensor,
  type PeftAdapter,
} from './types.ts';
import { readAdapterZip, writeZip } from './zip.ts';

export interface BaseModelInfo {
  config: ModelConfig;
  /** Content hash of the loaded base; compared with punchline.json's when both are known. */
  contentHash?: string;
  /** Classifier labels the caller expects; inferred from the head when absent. */
  numLabels?: number;
}

export type AdapterSource =
  | { kind: 'zip'; bytes: Uint8Array; label?: string }
  | { kind: 'files'; config: Uint8Array | string; weights: Uint8Array; meta?: Uint8Array | string };

/** Caps that keep a hostile archive from inflating into memory. */
export const ADAPTER_ZIP_LIMITS = {
  maxEntries: 1000,
  maxBytes: {
    [ADAPTER_CONFIG_FILE]: 1 << 20,
    [PUNCHLINE_META_FILE]: 4 << 20,
    [ADAPTER_WEIGHTS_FILE]: 1 << 30,
  },
};

const text = (value: Uint8Array | string): string =>
  typeof value === 'string' ? value : new TextDecoder().decode(value);
const json = (value: unknown): Uint8Array => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

function numLabelsOf(adapter: PeftAdapter, base: BaseModelInfo): number | null {
  return base.numLabels ?? adapter.tensors.get(HEAD_NAME)?.shape[0] ?? null;
}

/** The PEFT files of an adapter, after checking it fits the base model. */
export function exportPeftFiles(adapter: PeftAdapter, base: BaseModelInfo): Record<string, Uint8Array> {
  const expected = expectedTensors(base.config, adapter.config, numLabelsOf(adapter, base));
  const headers = new Map<string, TensorHeaderInfo>();
  const inputs = expected.map((spec) => {
    const tensor = adapter.tensors.get(spec.name);
    if (tensor === undefined)
      throw new PeftError('adapter', spec.name, 'missing from the adapter being exported');
    headers.set(spec.fileName, { shape: tensor.shape, dtype: 'F32' });
    return { name: spec.fileName, dtype: 'F32' as const, shape: tensor.shape, data: tensor.data };
  });
  checkTensors('adapter', headers, expected, base.config, adapter.config.rank);
  const extra = [...adapter.tensors.keys()].filter((n) => !expected.some((e) => e.name === n));
  if (extra.length > 0)
    throw new PeftError(
      'adapter',
      extra[0] ?? '',
      `not covered by the adapter config (${extra.length} such tensors)`,
    );
  const files: Record<string, Uint8Array> = {
    // GPT-2's Conv1D layers store [in, out]; PEFT needs fan_in_fan_out to know, whatever the caller set.
    [ADAPTER_CONFIG_FILE]: json(
      adapterConfigJson({ ...adapter.config, fanInFanOut: base.config.arch === 'gpt2' }),
    ),
    [ADAPTER_WEIGHTS_FILE]: writeSafetensors(inputs, {
      metadata: { format: 'pt' },
      label: ADAPTER_WEIGHTS_FILE,
    }),
    [README_FILE]: new TextEncoder().encode(adapterModelCard(adapter)),
  };
  if (adapter.meta !== null)
    files[PUNCHLINE_META_FILE] = new TextEncoder().encode(punchlineMetaJson(adapter.meta));
  return files;
}

export function exportPeftZip(adapter: PeftAdapter, base: BaseModelInfo): Uint8Array {
  return writeZip(exportPeftFiles(adapter, base), [ADAPTER_WEIGHTS_FILE]);
}

function parseWeights(bytes: Uint8Array): SafetensorsFile {
  try {
    return parseSafetensors(bytes, ADAPTER_WEIGHTS_FILE);
  } catch (error) {
    if (error instanceof SafetensorsError)
      throw new PeftError(
        ADAPTER_WEIGHTS_FILE,
        error.tensor,
        error.message.replace(`${ADAPTER_WEIGHTS_FILE}: `, ''),
      );
    throw error;
  }
}

function sourceFiles(source: AdapterSource): { config: string; weights: Uint8Array; meta: string | null } {
  if (source.kind === 'files') {
    return {
      config: text(source.config),
      weights: source.weights,
      meta: source.meta === undefined ? null : text(source.meta),
    };
  }
  const label = source.label ?? 'adapter.zip';
  const entries = readAdapterZip(source.bytes, label, ADAPTER_ZIP_LIMITS);
  const config = entries.get(ADAPTER_CONFIG_FILE);
  const weights = entries.get(ADAPTER_WEIGHTS_FILE);
  if (config === undefined || weights === undefined) {
    const missing = config === undefined ? ADAPTER_CONFIG_FILE : ADAPTER_WEIGHTS_FILE;
    throw new PeftError(
      label,
      null,
      `has no ${missing}; a PEFT adapter zip holds ${ADAPTER_CONFIG_FILE} and ${ADAPTER_WEIGHTS_FILE}`,
    );
  }
  const meta = entries.get(PUNCHLINE_META_FILE);
  return { config: text(config), weights, meta: meta === undefined ? null : text(meta) };
}

export function importPeftAdapter(source: AdapterSource, base: BaseModelInfo): PeftAdapter {
  const files = sourceFiles(source);
  const config = parseAdapterConfig(files.config);
  const meta = files.meta === null ? null : parsePunchlineMeta(files.meta);
  if (meta !== null && base.contentHash !== undefined && meta.baseModel.contentHash !== base.contentHash) {
    throw new PeftError(
      PUNCHLINE_META_FILE,
      'baseModel.contentHash',
      `the adapter was trained on "${meta.baseModel.name}" (${meta.baseModel.contentHash}) but the loaded base model is ${base.contentHash}; load that base model first`,
    );
  }
  const weights = parseWeights(files.weights);
  const headHeader = weights.byName.get(PEFT_HEAD_NAME);
  const numLabels = base.numLabels ?? headHeader?.shape[0] ?? null;
  const expected = expectedTensors(base.config, config, numLabels);
  checkTensors(ADAPTER_WEIGHTS_FILE, weights.byName, expected, base.config, config.rank);
  const tensors = new Map<string, AdapterTensor>();
  for (const spec of expected) {
    const data = readFloat32(weights, spec.fileName);
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new PeftError(
        ADAPTER_WEIGHTS_FILE,
        spec.fileName,
        `value ${data[bad]} at index ${bad} is not finite`,
      );
    tensors.set(spec.name, { shape: [...(weights.byName.get(spec.fileName)?.shape ?? [])], data });
  }
  return { config, tensors, meta };
}
