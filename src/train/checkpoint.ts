/**
 * A training checkpoint as one safetensors file: current and best adapter tensors (param.* / best.*),
 * AdamW moments (exp_avg.* / exp_avg_sq.*) and, in the metadata, the loop state (update count, data
 * position, dropout RNG state, loss history, early-stopping state) and the settings it was made with.
 * Everything needed to continue with the same numbers as an uninterrupted run.
 */
import { parseSafetensors, readFloat32, SafetensorsError } from '../formats/safetensors.ts';
import { writeSafetensors, type SafetensorsTensorInput } from '../formats/safetensors-write.ts';
import type { RngState } from '../runtime/rng.ts';
import type { AdamWConfig, AdamWState } from './optimizer.ts';
import type { ClassifierMetrics } from './metrics.ts';
import type { DataPosition } from './packing.ts';

export interface LossPoint {
  step: number;
  loss: number;
}

export interface ValidationPoint extends LossPoint {
  metrics: ClassifierMetrics | null;
}

export interface LoopState {
  /** Optimizer updates done. */
  step: number;
  position: DataPosition;
  rng: RngState;
  tokensSeen: number;
  losses: LossPoint[];
  validation: ValidationPoint[];
  best: ValidationPoint | null;
  /** Validations since the best one. */
  sinceBest: number;
}

export interface Checkpoint {
  state: LoopState;
  params: Record<string, Float32Array>;
  bestParams: Record<string, Float32Array> | null;
  optimizer: AdamWState;
  /** The settings of the run, as JSON: a checkpoint resumes only the run it came from. */
  fingerprint: string;
}

/** Where the trainer puts checkpoints; IndexedDB in the browser, files or memory in Node. */
export interface CheckpointStore {
  save(step: number, bytes: Uint8Array): Promise<void>;
}

const FORMAT = 'punchline-train-checkpoint-1';

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const tensors: SafetensorsTensorInput[] = [];
  const add = (prefix: string, group: Record<string, Float32Array>) => {
    for (const [name, data] of Object.entries(group))
      tensors.push({ name: `${prefix}${name}`, dtype: 'F32', shape: [data.length], data });
  };
  add('param.', checkpoint.params);
  if (checkpoint.bestParams) add('best.', checkpoint.bestParams);
  add('exp_avg.', checkpoint.optimizer.expAvg);
  add('exp_avg_sq.', checkpoint.optimizer.expAvgSq);
  return writeSafetensors(tensors, {
    label: 'training checkpoint',
    metadata: {
      format: FORMAT,
      state: JSON.stringify(checkpoint.state),
      fingerprint: checkpoint.fingerprint,
      optimizerStep: String(checkpoint.optimizer.step),
      optimizerConfig: JSON.stringify(checkpoint.optimizer.config),
    },
  });
}

export function decodeCheckpoint(bytes: Uint8Array, label: string): Checkpoint {
  const file = parseSafetensors(bytes, label);
  if (file.metadata.format !== FORMAT)
    throw new SafetensorsError(
      label,
      null,
      `not a training checkpoint (metadata format ${JSON.stringify(file.metadata.format)})`,
    );
  const groups: Record<string, Record<string, Float32Array>> = {
    'param.': {},
    'best.': {},
    'exp_avg.': {},
    'exp_avg_sq.': {},
  };
  for (const info of file.tensors) {
    const prefix = ['exp_avg_sq.', 'exp_avg.', 'param.', 'best.'].find((p) => info.name.startsWith(p));
    if (!prefix) throw new SafetensorsError(label, info.name, 'unexpected tensor in a training checkpoint');
    (groups[prefix] as Record<string, Float32Array>)[info.name.slice(prefix.length)] = readFloat32(
      file,
      info.name,
    );
  }
  let state: LoopState;
  let optimizerConfig: AdamWConfig;
  try {
    state = JSON.parse(file.metadata.state ?? '') as LoopState;
    optimizerConfig = JSON.parse(file.metadata.optimizerConfig ?? '') as AdamWConfig;
  } catch (error) {
    throw new SafetensorsError(
      label,
      null,
      `checkpoint metadata is not valid JSON (${(error as Error).message})`,
    );
  }
  const best = groups['best.'] as Record<string, Float32Array>;
  return {
    state,
    params: groups['param.'] as Record<string, Float32Array>,
    bestParams: Object.keys(best).length > 0 ? best : null,
    optimizer: {
      config: optimizerConfig,
      step: Number(file.metadata.optimizerStep),
      expAvg: groups['exp_avg.'] as Record<string, Float32Array>,
      expAvgSq: groups['exp_avg_sq.'] as Record<string, Float32Array>,
    },
    fingerprint: file.metadata.fingerprint ?? '',
  };
}

/** Keeps checkpoints in memory (Node tools, tests); `latest` is what a resume starts from. */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly saved: { step: number; bytes: Uint8Array }[] = [];
  async save(step: number, bytes: Uint8Array): Promise<void> {
    this.saved.push({ step, bytes: bytes.slice() });
  }
  get latest(): Uint8Array | null {
    return this.saved.at(-1)?.bytes ?? null;
  }
}
