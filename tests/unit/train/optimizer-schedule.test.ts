import { describe, expect, it } from 'vitest';
import { learningRateAt, type LrSchedule } from '../../../src/train/schedule.ts';

const at = (s: LrSchedule, steps: number[]) => steps.map((step) => learningRateAt(s, step));

describe('learning-rate schedules (transformers formulas)', () => {
  it('warms up linearly from 0, then stays constant', () => {
    expect(at({ kind: 'constant', peakLr: 1e-3, warmupSteps: 4 }, [0, 1, 2, 4, 100])).toEqual([
      0, 2.5e-4, 5e-4, 1e-3, 1e-3,
    ]);
    expect(at({ kind: 'constant', peakLr: 2, warmupSteps: 0 }, [0, 7])).toEqual([2, 2]);
  });

  it('decays linearly to 0 at totalSteps', () => {
    expect(at({ kind: 'linear', peakLr: 1, warmupSteps: 2, totalSteps: 10 }, [1, 2, 6, 10, 12])).toEqual([
      0.5, 1, 0.5, 0, 0,
    ]);
  });

  it('follows half a cosine from peak to minLr, flat afterwards', () => {
    const s: LrSchedule = { kind: 'cosine', peakLr: 1, warmupSteps: 10, totalSteps: 110, minLr: 0.1 };
    const [w, peak, quarter, mid, end, after] = at(s, [5, 10, 35, 60, 110, 500]);
    expect(w).toBe(0.5);
    expect(peak).toBe(1);
    // progress 0.25: 0.1 + 0.9·0.5·(1 + cos(π/4))
    expect(quarter).toBeCloseTo(0.1 + 0.45 * (1 + Math.SQRT1_2), 12);
    expect(mid).toBeCloseTo(0.55, 12);
    expect(end).toBeCloseTo(0.1, 12);
    expect(after).toBeCloseTo(0.1, 12);
    expect(learningRateAt({ kind: 'cosine', peakLr: 1, warmupSteps: 0, totalSteps: 4 }, 4)).toBeCloseTo(
      0,
      12,
    );
  });

  it('rejects settings out of range by field', () => {
    expect(() => learningRateAt({ kind: 'linear', peakLr: 1, warmupSteps: 20, totalSteps: 10 }, 0)).toThrow(
      /warmupSteps \(20\) must not exceed totalSteps/,
    );
    expect(() => learningRateAt({ kind: 'constant', peakLr: -1, warmupSteps: 0 }, 0)).toThrow(/peakLr/);
    expect(() =>
      learningRateAt({ kind: 'cosine', peakLr: 1, warmupSteps: 0, totalSteps: 5, minLr: 2 }, 0),
    ).toThrow(/minLr/);
    expect(() => learningRateAt({ kind: 'constant', peakLr: 1, warmupSteps: 0 }, -1)).toThrow(/step/);
  });
});
