/**
 * Checkpoints of a pretraining run: weights, AdamW moments and the loop state (step, data position),
 * written to a temporary folder and renamed into place, so an interruption at any moment leaves the
 * previous checkpoint intact.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelConfig } from '../src/engine/arch/config.ts';
import { f32ArrayToF16 } from '../src/formats/dtype.ts';
import { writeSafetensors } from '../src/formats/safetensors-write.ts';
import { parameterTable } from '../src/engine/arch/params.ts';
import type { DataPosition } from '../src/train/packing.ts';
import {
  adamwStateFromSafetensors,
  adamwStateToSafetensors,
  type AdamWState,
} from '../src/train/optimizer.ts';
import { readAllFloat32 } from './engine-io.ts';

export interface LoopState {
  /** Optimizer updates completed. */
  step: number;
  position: DataPosition;
  tokensSeen: number;
  /** Wall-clock seconds spent in training, summed over every resumed session. */
  trainSeconds: number;
}

export interface Checkpoint {
  weights: Map<string, Float32Array>;
  optimizers: Record<string, AdamWState>;
  loop: LoopState;
}

/**
 * Writes the parameter table in Hugging Face names. Checkpoints keep float32 so that a resumed run is exact;
 * the shipped model is stored as float16 (half the bytes in git and on the wire; the engine computes in
 * float32 after reading it, and the model card reports perplexity of the stored weights).
 */
export function writeModelWeights(
  path: string,
  config: ModelConfig,
  weights: Map<string, Float32Array>,
  dtype: 'F32' | 'F16' = 'F32',
): void {
  const tensors = parameterTable(config).map((spec) => {
    const data = weights.get(spec.name) as Float32Array;
    return {
      name: spec.name,
      shape: [...spec.shape],
      dtype,
      data: dtype === 'F16' ? f32ArrayToF16(data) : data,
    };
  });
  writeFileSync(path, writeSafetensors(tensors, { label: path }));
}

export function saveCheckpoint(dir: string, config: ModelConfig, checkpoint: Checkpoint): void {
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeModelWeights(join(tmp, 'model.safetensors'), config, checkpoint.weights);
  for (const [name, state] of Object.entries(checkpoint.optimizers))
    writeFileSync(join(tmp, `optimizer-${name}.safetensors`), adamwStateToSafetensors(state));
  writeFileSync(
    join(tmp, 'state.json'),
    JSON.stringify({ ...checkpoint.loop, optimizers: Object.keys(checkpoint.optimizers) }, null, 2),
  );
  const old = `${dir}.old`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

export function loadCheckpoint(dir: string): Checkpoint | null {
  // A crash between the two renames leaves only the .old copy: it is still a complete checkpoint.
  const source = existsSync(join(dir, 'state.json'))
    ? dir
    : existsSync(join(`${dir}.old`, 'state.json'))
      ? `${dir}.old`
      : null;
  if (!source) return null;
  const state = JSON.parse(readFileSync(join(source, 'state.json'), 'utf8')) as LoopState & {
    optimizers: string[];
  };
  const optimizers: Record<string, AdamWState> = {};
  for (const name of state.optimizers) {
    const path = join(source, `optimizer-${name}.safetensors`);
    optimizers[name] = adamwStateFromSafetensors(new Uint8Array(readFileSync(path)), path);
  }
  return {
    weights: readAllFloat32(join(source, 'model.safetensors')),
    optimizers,
    loop: {
      step: state.step,
      position: state.position,
      tokensSeen: state.tokensSeen,
      trainSeconds: state.trainSeconds,
    },
  };
}

/** One stage of a model folder's training.json (fields evaluate-model and the next stage read). */
export interface TrainingStage {
  steps: number;
  tokensSeen: number;
  trainHours: number;
  plannedSteps?: number;
  seq?: number;
}

/**
 * The stages in a model folder's training.json: its `stages` list, or the whole record when it predates
 * stages (one run); none when the folder has no training.json.
 */
export function readTrainingStages(dir: string): TrainingStage[] {
  const path = join(dir, 'training.json');
  if (!existsSync(path)) return [];
  const record = JSON.parse(readFileSync(path, 'utf8')) as TrainingStage & { stages?: TrainingStage[] };
  return record.stages ?? [record];
}
