/**
 * The LoRA fine-tuning loop shared by the Node CLI and the worker: gradient accumulation, clipping,
 * AdamW with a warm-up schedule, validation every N updates with early stopping that keeps the best
 * adapter, checkpoints through an injected store, resume with the same numbers, pause/resume/cancel.
 */
import { initLora, seededNormal } from '../engine/arch/init.ts';
import { SCORE_WEIGHT } from '../engine/graphs/classifier.ts';
import { Rng } from '../runtime/rng.ts';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  type CheckpointStore,
  type LoopState,
  type ValidationPoint,
} from './checkpoint.ts';
import type { TrainConfig } from './config.ts';
import type { LabelPlan } from './examples.ts';
import { AdamW, clipGradNorm } from './optimizer.ts';
import { prepareTask, type PrepareInput } from './prepare.ts';
import { learningRateAt, type LrSchedule } from './schedule.ts';
import type { TrainSignals } from './signals.ts';
import type { TaskRunner } from './task.ts';

export interface TrainProgress {
  kind: 'step' | 'validation' | 'paused' | 'checkpoint';
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number | null;
  validationLoss: number | null;
  learningRate: number;
  tokensPerSecond: number;
  etaSeconds: number;
}

export interface TrainJob extends PrepareInput {
  store?: CheckpointStore;
  /** A checkpoint of the same run to continue from. */
  resume?: Uint8Array;
  signals?: TrainSignals;
  onProgress?: (progress: TrainProgress) => void;
}

export type TrainStatus = 'finished' | 'stopped-early' | 'cancelled';

export interface TrainResult {
  status: TrainStatus;
  config: TrainConfig;
  plan: LabelPlan;
  totalSteps: number;
  trainCount: number;
  validationCount: number;
  state: LoopState;
  /** Validation before the first update (for a generator: the base model, since lora_B starts at 0). */
  initial: ValidationPoint;
  /** The adapter with the best validation loss (what gets saved). */
  best: Record<string, Float32Array>;
  last: Record<string, Float32Array>;
  shapes: Map<string, number[]>;
}

function initialParams(task: TaskRunner, config: TrainConfig): Record<string, Float32Array> {
  const params = Object.fromEntries(initLora(task.specs, config.seed + 1));
  const head = task.shapes.get(SCORE_WEIGHT);
  if (head) {
    const normal = seededNormal(config.seed + 2);
    params[SCORE_WEIGHT] = Float32Array.from({ length: head[0]! * head[1]! }, () => normal() * 0.02);
  }
  return params;
}

const copyParams = (p: Record<string, Float32Array>) =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.slice()]));

function scheduleOf(config: TrainConfig, totalSteps: number): LrSchedule {
  const warmupSteps = Math.min(config.warmupSteps, totalSteps);
  const peakLr = config.learningRate;
  return config.schedule === 'constant'
    ? { kind: 'constant', peakLr, warmupSteps }
    : { kind: config.schedule, peakLr, warmupSteps, totalSteps };
}

export async function train(job: TrainJob): Promise<TrainResult> {
  const prepared = await prepareTask(job);
  const { config, task, totalSteps } = prepared;
  const fingerprint = JSON.stringify({
    config,
    trainCount: prepared.trainCount,
    classes: prepared.plan.classes,
    // Only with a fixed validation set, so checkpoints of share-split runs keep their fingerprint.
    ...(job.validationRows ? { validationCount: prepared.validationCount } : {}),
  });
  try {
    let params = initialParams(task, config);
    let bestParams: Record<string, Float32Array> | null = null;
    let optimizer = new AdamW({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: config.weightDecay });
    let state: LoopState;
    if (job.resume) {
      const checkpoint = decodeCheckpoint(job.resume, 'training checkpoint');
      if (checkpoint.fingerprint !== fingerprint)
        throw new Error(
          'the checkpoint belongs to a run with other settings or data; start a new run instead',
        );
      params = checkpoint.params;
      bestParams = checkpoint.bestParams;
      optimizer = AdamW.fromState(checkpoint.optimizer);
      state = checkpoint.state;
    } else {
      const first = await task.evaluate(params);
      const point = { step: 0, loss: first.loss, metrics: first.metrics };
      state = {
        step: 0,
        position: { epoch: 0, window: 0 },
        rng: Rng.seeded(config.seed, 0xd0).state(),
        tokensSeen: 0,
        losses: [],
        validation: [point],
        best: point,
        sinceBest: 0,
      };
      bestParams = copyParams(params);
    }
    const schedule = scheduleOf(config, totalSteps);
    const rng = Rng.fromState(state.rng);
    const uniform = () => rng.nextFloat();
    const started = performance.now();
    const stepsAtStart = state.step;
    let tokensThisSession = 0;
    const progress = (kind: TrainProgress['kind'], loss: number | null, validationLoss: number | null) => {
      const seconds = (performance.now() - started) / 1000;
      const done = state.step - stepsAtStart;
      job.onProgress?.({
        kind,
        step: state.step,
        totalSteps,
        epoch: state.position.epoch,
        loss,
        validationLoss,
        learningRate: learningRateAt(schedule, Math.max(0, state.step - 1)),
        tokensPerSecond: seconds > 0 ? tokensThisSession / seconds : 0,
        etaSeconds: done > 0 ? ((totalSteps - state.step) * seconds) / done : 0,
      });
    };
    const saveCheckpoint = async () => {
      if (!job.store) return;
      state.rng = rng.state();
      const bytes = encodeCheckpoint({
        state,
        params,
        bestParams,
        optimizer: optimizer.exportState(),
        fingerprint,
      });
      await job.store.save(state.step, bytes);
      progress('checkpoint', null, null);
    };

    let status: TrainStatus = 'finished';
    while (state.step < totalSteps) {
      if (job.signals?.paused && !job.signals.cancelled) {
        await saveCheckpoint();
        progress('paused', null, null);
        await job.signals.waitWhilePaused();
      }
      if (job.signals?.cancelled) {
        status = 'cancelled';
        await saveCheckpoint();
        break;
      }
      const accum = config.gradientAccumulation;
      const grads: Record<string, Float32Array> = {};
      let loss = 0;
      for (let micro = 0; micro < accum; micro++) {
        const result = await task.step(params, state.position, uniform);
        state.position = result.next;
        loss += result.loss / accum;
        tokensThisSession += result.tokens;
        state.tokensSeen += result.tokens;
        for (const [name, g] of Object.entries(result.grads)) {
          const sum = (grads[name] ??= new Float32Array(g.length));
          for (let i = 0; i < g.length; i++) sum[i] = (sum[i] as number) + (g[i] as number) / accum;
        }
      }
      clipGradNorm(grads, config.maxGradNorm);
      optimizer.update(params, grads, learningRateAt(schedule, state.step));
      state.step += 1;
      state.losses.push({ step: state.step, loss });
      progress('step', loss, null);

      let stopEarly = false;
      if (state.step % config.evalEvery === 0 || state.step === totalSteps) {
        const evaluation = await task.evaluate(params);
        const point = { step: state.step, loss: evaluation.loss, metrics: evaluation.metrics };
        state.validation.push(point);
        if (!state.best || point.loss < state.best.loss) {
          state.best = point;
          state.sinceBest = 0;
          bestParams = copyParams(params);
        } else {
          state.sinceBest += 1;
          stopEarly = config.patience > 0 && state.sinceBest >= config.patience;
        }
        progress('validation', loss, point.loss);
      }
      if (stopEarly) status = 'stopped-early';
      if (stopEarly || state.step % config.checkpointEvery === 0 || state.step === totalSteps)
        await saveCheckpoint();
      if (stopEarly) break;
    }
    return {
      status,
      config,
      plan: prepared.plan,
      totalSteps,
      trainCount: prepared.trainCount,
      validationCount: prepared.validationCount,
      state,
      initial: state.validation[0] as ValidationPoint,
      best: bestParams ?? params,
      last: params,
      shapes: task.shapes,
    };
  } finally {
    await task.dispose();
  }
}
