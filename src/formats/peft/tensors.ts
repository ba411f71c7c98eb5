/**
 * The tensors a LoRA adapter must hold for a given base model, from the engine's LoRA table, and the check of
 * a set of tensor headers against them (wrong base, wrong rank, missing, misshaped or unexpected tensors).
 */
import type { ModelConfig } from '../../engine/arch/config.ts';
import { loraTable, PEFT_PREFIX } from '../../engine/arch/lora.ts';
import { PeftError } from './errors.ts';
import { ADAPTER_CONFIG_FILE, HEAD_NAME, type AdapterConfig } from './types.ts';

/** The classifier head as PEFT saves it (modules_to_save, adapter name stripped). */
export const PEFT_HEAD_NAME = `${PEFT_PREFIX}score.weight`;

export interface ExpectedTensor {
  /** Name in adapter_model.safetensors. */
  fileName: string;
  /** Name in memory (the engine's). */
  name: string;
  shape: [number, number];
  kind: 'lora_A' | 'lora_B' | 'head';
  module: string;
}

export interface TensorHeaderInfo {
  shape: readonly number[];
  dtype: string;
}

export function expectedTensors(
  base: ModelConfig,
  config: AdapterConfig,
  numLabels: number | null,
): ExpectedTensor[] {
  let specs;
  try {
    specs = loraTable(base, { rank: config.rank, alpha: config.alpha, targets: config.targetModules });
  } catch (error) {
    throw new PeftError(
      ADAPTER_CONFIG_FILE,
      'target_modules',
      `${(error as Error).message} (is this adapter for a different base model?)`,
    );
  }
  const out: ExpectedTensor[] = specs.flatMap((s) => [
    { fileName: s.aName, name: s.aName, shape: s.aShape, kind: 'lora_A' as const, module: s.module },
    { fileName: s.bName, name: s.bName, shape: s.bShape, kind: 'lora_B' as const, module: s.module },
  ]);
  if (config.taskType === 'SEQ_CLS') {
    out.push({
      fileName: PEFT_HEAD_NAME,
      name: HEAD_NAME,
      shape: [numLabels ?? 0, base.hiddenSize],
      kind: 'head',
      module: 'score',
    });
  }
  return out;
}

const FLOAT_DTYPES = ['F32', 'F16', 'BF16'];

function shapeText(spec: ExpectedTensor): string {
  return spec.kind === 'head' && spec.shape[0] === 0
    ? `[num_labels, ${spec.shape[1]}]`
    : `[${spec.shape.join(', ')}]`;
}

function unexpectedHint(name: string): string {
  if (name.includes('lora_magnitude_vector'))
    return ' (a DoRA magnitude vector; DoRA adapters are not supported)';
  if (name.includes('lora_embedding')) return ' (LoRA on embeddings is not supported)';
  if (name.endsWith('.bias')) return ' (trained biases are not supported)';
  return '';
}

/** Compares the file's tensors with the expected list; throws a PeftError naming the first problem. */
export function checkTensors(
  file: string,
  headers: ReadonlyMap<string, TensorHeaderInfo>,
  expected: readonly ExpectedTensor[],
  base: ModelConfig,
  rank: number,
): void {
  for (const spec of expected) {
    const header = headers.get(spec.fileName);
    if (header === undefined) {
      throw new PeftError(
        file,
        spec.fileName,
        `missing: adapter_config.json targets ${spec.module}, so a ${shapeText(spec)} tensor is expected`,
      );
    }
    if (!FLOAT_DTYPES.includes(header.dtype)) {
      throw new PeftError(
        file,
        spec.fileName,
        `dtype ${header.dtype} is not a float type (expected F32, F16 or BF16)`,
      );
    }
    const [rows, cols] = header.shape;
    const shape = `[${header.shape.join(', ')}]`;
    if (header.shape.length !== 2 || rows === undefined || cols === undefined) {
      throw new PeftError(file, spec.fileName, `has shape ${shape}; expected a matrix ${shapeText(spec)}`);
    }
    const [wantRows, wantCols] = spec.shape;
    const rankAxis = spec.kind === 'lora_A' ? rows : spec.kind === 'lora_B' ? cols : null;
    if (rankAxis !== null && rankAxis !== rank) {
      throw new PeftError(
        file,
        spec.fileName,
        `has rank ${rankAxis} (shape ${shape}) but adapter_config.json says r = ${rank}`,
      );
    }
    if (spec.kind === 'head' && wantRows === 0) {
      if (cols !== wantCols)
        throw new PeftError(
          file,
          spec.fileName,
          `has shape ${shape}; the base model's hidden size is ${base.hiddenSize}`,
        );
      continue;
    }
    if (rows !== wantRows || cols !== wantCols) {
      const problem =
        spec.kind === 'head'
          ? `the classifier head needs [${wantRows}, ${wantCols}] (${wantRows} labels, hidden ${base.hiddenSize})`
          : `${spec.module} needs [${wantRows}, ${wantCols}] in this ${base.arch} base (hidden ${base.hiddenSize}): the adapter was trained on a different base model`;
      throw new PeftError(file, spec.fileName, `has shape ${shape} but ${problem}`);
    }
  }
  const known = new Set(expected.map((e) => e.fileName));
  for (const name of headers.keys()) {
    if (!known.has(name)) {
      throw new PeftError(
        file,
        name,
        `unexpected tensor${unexpectedHint(name)}; adapter_config.json does not account for it`,
      );
    }
  }
}
