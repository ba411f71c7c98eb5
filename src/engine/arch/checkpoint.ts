/**
 * Validates a checkpoint's tensor headers against the parameter table before any bytes are read:
 * every expected tensor present, with the right shape and a supported dtype.
 */
import type { ModelConfig } from './config.ts';
import { GPT2_PREFIX, parameterTable, type ParamSpec } from './params.ts';

/** Dtypes the loader converts to float32. */
export const SUPPORTED_DTYPES = ['F32', 'F16', 'BF16'] as const;
export type SupportedDtype = (typeof SUPPORTED_DTYPES)[number];

/** What a safetensors header says about one tensor. */
export interface TensorHeader {
  dtype: string;
  shape: readonly number[];
}

export class CheckpointError extends Error {
  constructor(
    readonly tensor: string,
    message: string,
  ) {
    super(message);
    this.name = 'CheckpointError';
  }
}

export interface ResolvedCheckpoint {
  /** Canonical table name → name as stored in the file. */
  fileNames: Map<string, string>;
  dtypes: Map<string, SupportedDtype>;
  /** Tensors in the file that the model does not use (causal-mask buffers, a tied lm_head copy, ...). */
  ignored: string[];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** GPT2Model checkpoints omit the "transformer." prefix that GPT2LMHeadModel writes. */
function candidates(config: ModelConfig, spec: ParamSpec): string[] {
  if (config.arch === 'gpt2' && spec.name.startsWith(GPT2_PREFIX)) {
    return [spec.name, spec.name.slice(GPT2_PREFIX.length)];
  }
  return [spec.name];
}

export function resolveCheckpoint(
  config: ModelConfig,
  headers: ReadonlyMap<string, TensorHeader>,
  source = 'model.safetensors',
): ResolvedCheckpoint {
  const fileNames = new Map<string, string>();
  const dtypes = new Map<string, SupportedDtype>();
  const used = new Set<string>();
  for (const spec of parameterTable(config)) {
    const names = candidates(config, spec);
    const fileName = names.find((n) => headers.has(n));
    if (fileName === undefined) {
      const tiedHint =
        spec.name === 'lm_head.weight'
          ? ' (config.json says tie_word_embeddings = false, so the head is separate)'
          : '';
      throw new CheckpointError(
        spec.name,
        `${source}: missing tensor "${spec.name}" with shape [${spec.shape.join(', ')}]${tiedHint}`,
      );
    }
    const header = headers.get(fileName) as TensorHeader;
    if (!sameShape(header.shape, spec.shape)) {
      throw new CheckpointError(
        spec.name,
        `${source}: tensor "${fileName}" has shape [${header.shape.join(', ')}], expected [${spec.shape.join(', ')}] from config.json`,
      );
    }
    if (!(SUPPORTED_DTYPES as readonly string[]).includes(header.dtype)) {
      throw new CheckpointError(
        spec.name,
        `${source}: tensor "${fileName}" has dtype ${header.dtype}, expected one of ${SUPPORTED_DTYPES.join(', ')}` +
          ' (quantised checkpoints must be converted first)',
      );
    }
    fileNames.set(spec.name, fileName);
    dtypes.set(spec.name, header.dtype as SupportedDtype);
    used.add(fileName);
  }
  const ignored = [...headers.keys()].filter((n) => !used.has(n)).sort();
  return { fileNames, dtypes, ignored };
}
