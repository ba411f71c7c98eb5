/**
 * The LoRA train-step benchmark case of bench/train.ts, on any Runtime: the real trainer (src/train/trainer.ts)
 * on random weights and synthetic packed text. bench/train.ts runs it on onnxruntime-node and, through
 * bench/train-page.ts, on onnxruntime-web (wasm, webgpu), so both measure exactly the same job.
 */
import { bindModelWeights } from '../src/models/bind-weights.ts';
import { parseModelConfig } from '../src/engine/arch/config.ts';
import { initParameters } from '../src/engine/arch/init.ts';
import type { Runtime, SessionConfig, WeightPlacement } from '../src/runtime/types.ts';
import { releaseWeights } from '../src/runtime/weights.ts';
import type { TrainConfig } from '../src/train/config.ts';
import type { TrainTokenizer } from '../src/train/sequences.ts';
import { train } from '../src/train/trainer.ts';
import { BENCH_MODELS } from './engine-cases.ts';

/** The default model's folder under public/ (config.json, tokenizer.json): the tokenizer serves every shape. */
export const TINY_FOLDER = 'models/punchline-tiny';

export const TRAIN_BENCH_MODELS = ['tiny', 'smollm2'] as const;
export type TrainBenchModel = (typeof TRAIN_BENCH_MODELS)[number];

/** A model's Hugging Face config fields; `readJson` reads a file under public/ (fs in Node, fetch in a page). */
export async function trainBenchShape(
  model: string,
  readJson: (publicPath: string) => Promise<unknown>,
): Promise<Record<string, unknown>> {
  if (model === 'tiny') return (await readJson(`${TINY_FOLDER}/config.json`)) as Record<string, unknown>;
  if (model === 'smollm2') return BENCH_MODELS['smollm2'] as Record<string, unknown>;
  throw new Error(`unknown model "${model}"; expected ${TRAIN_BENCH_MODELS.join(', ')}`);
}

export interface TrainBenchSettings {
  batch: number;
  seq: number;
  /** Timed updates, after one untimed first update. */
  steps: number;
}

/** LoRA settings are the trainer's defaults (r=8, alpha=16 on q,k,v,o); bench/train_peft.py mirrors them. */
export function trainBenchConfig(settings: TrainBenchSettings): Partial<TrainConfig> {
  return {
    steps: settings.steps + 1,
    batchSize: settings.batch,
    maxSeqLength: settings.seq,
    evalEvery: 1000,
    checkpointEvery: 1000,
    maxValidationItems: 1,
    validationShare: 0.01,
  };
}

export interface TrainBenchTiming {
  secondsPerStep: number;
  tokensPerSecond: number;
  /** The updates timed (the first is never: it includes session warm-up). */
  timedSteps: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Runs the trainer for `steps + 1` updates and times the updates after the first (median). */
export async function runTrainBench(
  runtime: Runtime,
  shape: Record<string, unknown>,
  tokenizer: TrainTokenizer,
  settings: TrainBenchSettings,
  device: { session: SessionConfig; placement: WeightPlacement },
): Promise<TrainBenchTiming> {
  const config = parseModelConfig(shape);
  const weights = initParameters(config, 1);
  const words = 'the cat sat on a mat and told the dog a joke about lunch while rain fell'.split(' ');
  const rows = Array.from({ length: 400 }, (_, i) => ({
    text: Array.from({ length: 40 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' '),
    label: null,
  }));
  const base = await bindModelWeights(runtime, { config, weights }, device.placement);
  const stamps: number[] = [];
  try {
    await train({
      runtime,
      model: { config, weights },
      base,
      tokenizer,
      rows,
      session: device.session,
      config: trainBenchConfig(settings),
      onProgress: (p) => {
        if (p.kind === 'step') stamps.push(performance.now());
      },
    });
  } finally {
    releaseWeights(base);
  }
  const durations = stamps.slice(1).map((t, i) => (t - (stamps[i] as number)) / 1000);
  const seconds = median(durations);
  return {
    secondsPerStep: seconds,
    tokensPerSecond: (settings.batch * settings.seq) / seconds,
    timedSteps: durations.length,
  };
}
