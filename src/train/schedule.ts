/**
 * Learning-rate schedules with the formulas of transformers' get_constant_schedule_with_warmup,
 * get_linear_schedule_with_warmup and get_cosine_with_min_lr_schedule_with_warmup, so a job continued in
 * Python sees the same rates. `step` counts completed optimizer updates: the first update uses step 0,
 * which is why warm-up starts at 0.
 */
export type LrSchedule =
  | { kind: 'constant'; peakLr: number; warmupSteps: number }
  | { kind: 'linear'; peakLr: number; warmupSteps: number; totalSteps: number }
  | { kind: 'cosine'; peakLr: number; warmupSteps: number; totalSteps: number; minLr?: number };

export function validateSchedule(schedule: LrSchedule): void {
  const { peakLr, warmupSteps } = schedule;
  if (!Number.isFinite(peakLr) || peakLr < 0)
    throw new RangeError(`schedule.peakLr must be a finite number >= 0, got ${peakLr}`);
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0)
    throw new RangeError(`schedule.warmupSteps must be an integer >= 0, got ${warmupSteps}`);
  if (schedule.kind === 'constant') return;
  const { totalSteps } = schedule;
  if (!Number.isInteger(totalSteps) || totalSteps < 1)
    throw new RangeError(`schedule.totalSteps must be an integer >= 1, got ${totalSteps}`);
  if (warmupSteps > totalSteps)
    throw new RangeError(`schedule.warmupSteps (${warmupSteps}) must not exceed totalSteps (${totalSteps})`);
  if (
    schedule.kind === 'cosine' &&
    schedule.minLr !== undefined &&
    !(schedule.minLr >= 0 && schedule.minLr <= peakLr)
  ) {
    throw new RangeError(`schedule.minLr must be in [0, peakLr=${peakLr}], got ${schedule.minLr}`);
  }
}

export function learningRateAt(schedule: LrSchedule, step: number): number {
  validateSchedule(schedule);
  if (!Number.isInteger(step) || step < 0) throw new RangeError(`step must be an integer >= 0, got ${step}`);
  const { peakLr, warmupSteps } = schedule;
  if (step < warmupSteps) return (peakLr * step) / Math.max(1, warmupSteps);
  switch (schedule.kind) {
    case 'constant':
      return peakLr;
    case 'linear':
      return (
        peakLr * Math.max(0, (schedule.totalSteps - step) / Math.max(1, schedule.totalSteps - warmupSteps))
      );
    case 'cosine': {
      const progress = Math.min(1, (step - warmupSteps) / Math.max(1, schedule.totalSteps - warmupSteps));
      const minRate = (schedule.minLr ?? 0) / (peakLr === 0 ? 1 : peakLr);
      const factor = 0.5 * (1 + Math.cos(Math.PI * progress));
      return peakLr * (factor * (1 - minRate) + minRate);
    }
  }
}
