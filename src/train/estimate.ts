/** Time estimate from a short measured warm-up: a few micro-batches through the real train step. */
import { initLora } from '../engine/arch/init.ts';
import { Rng } from '../runtime/rng.ts';
import { prepareTask, type PrepareInput } from './prepare.ts';

export interface TimeEstimate {
  note: string;
  trainRows: number;
  validationRows: number;
  totalSteps: number;
  /** One optimizer update (all its accumulated micro-batches). */
  secondsPerStep: number;
  etaSeconds: number;
}

/** Runs `measured` + 1 micro-batches (the first, which includes session warm-up, is not counted). */
export async function estimateTraining(input: PrepareInput, measured = 2): Promise<TimeEstimate> {
  const prepared = await prepareTask(input);
  const { task, config } = prepared;
  try {
    const params = Object.fromEntries(initLora(task.specs, config.seed + 1));
    for (const [name, shape] of task.shapes)
      params[name] ??= new Float32Array(shape.reduce((a, b) => a * b, 1));
    const rng = Rng.seeded(config.seed, 1);
    let position = { epoch: 0, window: 0 };
    const times: number[] = [];
    for (let i = 0; i <= measured; i++) {
      const start = performance.now();
      position = (await task.step(params, position, () => rng.nextFloat())).next;
      if (i > 0) times.push((performance.now() - start) / 1000);
    }
    const perMicro = times.reduce((a, b) => a + b, 0) / times.length;
    const secondsPerStep = perMicro * config.gradientAccumulation;
    return {
      note: prepared.plan.note,
      trainRows: prepared.trainCount,
      validationRows: prepared.validationCount,
      totalSteps: prepared.totalSteps,
      secondsPerStep,
      etaSeconds: secondsPerStep * prepared.totalSteps,
    };
  } finally {
    await task.dispose();
  }
}
