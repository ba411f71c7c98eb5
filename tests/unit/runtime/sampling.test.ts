import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/runtime/rng.ts';
import {
  applyRepetitionPenalty,
  samplingDistribution,
  sampleToken,
  type SamplingSettings,
} from '../../../src/runtime/sampling.ts';

const plain: SamplingSettings = { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 };
// Token 1 is the most likely: p = [0.3, 0.5, 0.2].
const logits = new Float32Array([Math.log(0.3), Math.log(0.5), Math.log(0.2)]);

function expectDistribution(
  settings: Partial<SamplingSettings>,
  ids: number[],
  probs: number[],
  history: number[] = [],
) {
  const d = samplingDistribution(logits, { ...plain, ...settings }, history);
  expect(Array.from(d.ids)).toEqual(ids);
  probs.forEach((p, i) => expect(d.probs[i]).toBeCloseTo(p, 6));
}

describe('sampling distribution', () => {
  it('is the softmax at temperature 1 (in id order when nothing is truncated)', () =>
    expectDistribution({}, [0, 1, 2], [0.3, 0.5, 0.2]));

  it('sharpens or flattens with temperature: p^(1/T), renormalized', () => {
    const z = Math.sqrt(0.5) + Math.sqrt(0.3) + Math.sqrt(0.2);
    expectDistribution(
      { temperature: 2 },
      [0, 1, 2],
      [Math.sqrt(0.3) / z, Math.sqrt(0.5) / z, Math.sqrt(0.2) / z],
    );
    const y = 0.25 + 0.09 + 0.04;
    expectDistribution({ temperature: 0.5 }, [0, 1, 2], [0.09 / y, 0.25 / y, 0.04 / y]);
  });

  it('keeps the k most likely tokens with top-k', () => {
    expectDistribution({ topK: 2 }, [1, 0], [0.625, 0.375]);
    expectDistribution({ topK: 1 }, [1], [1]);
    expectDistribution({ topK: 10 }, [1, 0, 2], [0.5, 0.3, 0.2]);
    expectDistribution({ topK: 3 }, [1, 0, 2], [0.5, 0.3, 0.2]);
  });

  it('keeps the smallest set reaching top-p (the token that crosses the threshold stays)', () => {
    expectDistribution({ topP: 0.6 }, [1, 0], [0.625, 0.375]);
    expectDistribution({ topP: 0.5 }, [1], [1]);
    expectDistribution({ topP: 0.81 }, [1, 0, 2], [0.5, 0.3, 0.2]);
  });

  it('applies top-p after top-k', () => {
    // After top-k=2: [0.625, 0.375]; top-p 0.7 needs both.
    expectDistribution({ topK: 2, topP: 0.7 }, [1, 0], [0.625, 0.375]);
  });

  it('excludes -Infinity logits and breaks ties by token id', () => {
    const d = samplingDistribution(new Float32Array([0, -Infinity, 0, 0]), plain);
    expect(Array.from(d.ids)).toEqual([0, 2, 3]);
    const top = samplingDistribution(new Float32Array(100).fill(1), { ...plain, topK: 3 });
    expect(Array.from(top.ids)).toEqual([0, 1, 2]);
  });

  it('finds the same top-k and nucleus on a large vocabulary as a full sort', () => {
    const rng = Rng.seeded(3);
    // Coarse values, so ties occur and their order (lower id first) is checked too.
    const big = Float32Array.from({ length: 5000 }, () => Math.round(rng.nextFloat() * 200) / 20);
    const sorted = Array.from(big.keys()).sort((a, b) => (big[b] ?? 0) - (big[a] ?? 0) || a - b);
    expect(Array.from(samplingDistribution(big, { ...plain, topK: 20 }).ids)).toEqual(sorted.slice(0, 20));
    // A flat distribution: the nucleus needs thousands of tokens, past the first guesses of its size.
    const nucleus = samplingDistribution(big, { ...plain, topP: 0.9 });
    const z = sorted.reduce((sum, t) => sum + Math.exp(big[t]! - big[sorted[0]!]!), 0);
    let mass = 0;
    let count = 0;
    while (mass < 0.9) mass += Math.exp(big[sorted[count++]!]! - big[sorted[0]!]!) / z;
    expect(nucleus.ids.length).toBe(count);
    expect(nucleus.ids.length).toBeGreaterThan(1024);
    expect(Array.from(nucleus.ids)).toEqual(sorted.slice(0, count));
  });
});

describe('repetition penalty', () => {
  it('divides positive logits and multiplies negative ones, once per distinct token', () => {
    const out = applyRepetitionPenalty(new Float32Array([2, -1, 0.5, 3]), [0, 1, 1, 0], 2);
    expect(Array.from(out)).toEqual([1, -2, 0.5, 3]);
  });

  it('changes the greedy choice', () => {
    const l = new Float32Array([2, 1.5]);
    const greedy = { ...plain, temperature: 0 };
    expect(sampleToken(l, greedy, [], Rng.seeded(0))).toBe(0);
    expect(sampleToken(l, { ...greedy, repetitionPenalty: 2 }, [0], Rng.seeded(0))).toBe(1);
  });

  it('lowers the probability of seen tokens in the distribution', () => {
    const penalized = samplingDistribution(logits, { ...plain, repetitionPenalty: 1.5 }, [1]);
    // Token 1's logit log(0.5) < 0 is multiplied by 1.5: weight 0.5^1.5.
    const z = 0.3 + 0.5 ** 1.5 + 0.2;
    expect(penalized.probs[Array.from(penalized.ids).indexOf(1)]).toBeCloseTo(0.5 ** 1.5 / z, 6);
  });
});

describe('sampleToken', () => {
  it('is greedy at temperature 0 regardless of the RNG', () => {
    for (let seed = 0; seed < 5; seed++)
      expect(sampleToken(logits, { ...plain, temperature: 0, topK: 2 }, [], Rng.seeded(seed))).toBe(1);
  });

  it('draws tokens with the frequencies of the distribution', () => {
    const rng = Rng.seeded(2024);
    const counts = [0, 0, 0];
    const n = 20000;
    for (let i = 0; i < n; i++) counts[sampleToken(logits, plain, [], rng)]!++;
    // sd of a frequency ≈ sqrt(p(1-p)/n) ≤ 0.0036; allow 5 sd.
    [0.3, 0.5, 0.2].forEach((p, i) => expect(Math.abs((counts[i] ?? 0) / n - p)).toBeLessThan(0.018));
  });

  it('never draws a token removed by top-k or top-p', () => {
    const rng = Rng.seeded(5);
    for (let i = 0; i < 2000; i++) expect(sampleToken(logits, { ...plain, topP: 0.6 }, [], rng)).not.toBe(2);
  });

  it('repeats exactly for the same seed', () => {
    const run = (seed: number) => {
      const rng = Rng.seeded(seed);
      return Array.from({ length: 30 }, () => sampleToken(logits, { ...plain, temperature: 1.3 }, [], rng));
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it('rejects out-of-range settings by name', () => {
    const rng = Rng.seeded(0);
    expect(() => sampleToken(logits, { ...plain, temperature: -1 }, [], rng)).toThrow(/temperature/);
    expect(() => sampleToken(logits, { ...plain, topK: 1.5 }, [], rng)).toThrow(/topK/);
    expect(() => sampleToken(logits, { ...plain, topP: 0 }, [], rng)).toThrow(/topP/);
    expect(() => sampleToken(logits, { ...plain, repetitionPenalty: 0 }, [], rng)).toThrow(
      /repetitionPenalty/,
    );
    expect(() => sampleToken(new Float32Array([-Infinity]), plain, [], rng)).toThrow(
      /nothing can be sampled/,
    );
  });
});
