import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/runtime/rng.ts';

describe('xoshiro128**', () => {
  it('matches the reference algorithm from state [1, 2, 3, 4]', () => {
    // Worked by hand from the reference C: out = rotl(s1 * 5, 7) * 9, then the xor-shift state update.
    const rng = Rng.fromState([1, 2, 3, 4]);
    expect([rng.nextUint32(), rng.nextUint32()]).toEqual([11520, 0]);
    expect(rng.state()).toEqual([12295, 1029, 1029, 25165824]);
    expect(rng.nextUint32()).toBe(5927040);
  });

  it('gives the same sequence for the same seed and stream, different ones otherwise', () => {
    const draw = (seed: number, stream: number) => {
      const rng = Rng.seeded(seed, stream);
      return Array.from({ length: 8 }, () => rng.nextUint32());
    };
    expect(draw(42, 0)).toEqual(draw(42, 0));
    expect(draw(42, 0)).not.toEqual(draw(42, 1));
    expect(draw(42, 0)).not.toEqual(draw(43, 0));
    expect(draw(2 ** 40, 0)).not.toEqual(draw(0, 0));
  });

  it('resumes exactly from a saved state', () => {
    const rng = Rng.seeded(7);
    rng.nextFloat();
    const resumed = Rng.fromState(rng.state());
    expect(Array.from({ length: 5 }, () => resumed.nextFloat())).toEqual(
      Array.from({ length: 5 }, () => rng.nextFloat()),
    );
  });

  it('produces uniform floats in [0, 1)', () => {
    const rng = Rng.seeded(1);
    const buckets = new Array<number>(10).fill(0);
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = rng.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
      buckets[Math.floor(u * 10)]!++;
    }
    // Each bucket ~ Binomial(n, 0.1): sd ≈ 42; allow 5 sd.
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(212);
  });

  it('rejects invalid seeds and an all-zero state', () => {
    expect(() => Rng.seeded(1.5)).toThrow(RangeError);
    expect(() => Rng.seeded(1, -1)).toThrow(RangeError);
    expect(() => Rng.fromState([0, 0, 0, 0])).toThrow(/all zero/);
  });
});
