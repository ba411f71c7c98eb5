/**
 * The packed-id Kneser-Ney model against a direct, slow transcription of interpolated modified
 * Kneser-Ney (Chen & Goodman 1998) written with string-keyed maps, on a small corpus with repeats.
 */
import { describe, expect, it } from 'vitest';
import { KneserNey, modifiedDiscounts } from '../../../src/eval/kneser-ney.ts';

const V = 6;

function referenceModel(corpus: number[][], order: number): (history: number[], w: number) => number {
  const bos = V;
  const raw = new Map<string, number>();
  const before = new Map<string, Set<number>>();
  for (const s of corpus) {
    const padded = [...new Array<number>(order - 1).fill(bos), ...s];
    for (let i = order - 1; i < padded.length; i++) {
      for (let k = 1; k <= order; k++) {
        const key = padded.slice(i - k + 1, i + 1).join(',');
        raw.set(key, (raw.get(key) ?? 0) + 1);
        if (k < order) before.set(key, (before.get(key) ?? new Set()).add(padded[i - k] as number));
      }
    }
  }
  // Modified-KN count: raw at the top order and for BOS-initial n-grams, else distinct left neighbours.
  const count = (gram: number[]): number => {
    const key = gram.join(',');
    if (gram.length === order || gram[0] === bos) return raw.get(key) ?? 0;
    return before.get(key)?.size ?? 0;
  };
  const grams = (k: number) =>
    [...raw.keys()].map((key) => key.split(',').map(Number)).filter((g) => g.length === k);
  const discounts = new Map<number, [number, number, number]>();
  for (let k = 1; k <= order; k++) {
    const n = [1, 2, 3, 4].map((c) => grams(k).filter((g) => count(g) === c).length);
    discounts.set(k, modifiedDiscounts(n));
  }
  const probability = (history: number[], w: number): number => {
    const k = history.length + 1;
    const lower = history.length === 0 ? 1 / V : probability(history.slice(1), w);
    const D = discounts.get(k) as [number, number, number];
    const siblings = grams(k).filter((g) => g.slice(0, -1).join(',') === history.join(','));
    let total = 0;
    let reserved = 0;
    for (const g of siblings) {
      const c = count(g);
      total += c;
      if (c > 0) reserved += D[Math.min(c, 3) - 1] as number;
    }
    if (total === 0) return lower;
    const c = count([...history, w]);
    return (
      Math.max(c - (c > 0 ? (D[Math.min(c, 3) - 1] as number) : 0), 0) / total + (reserved / total) * lower
    );
  };
  return (history, w) => {
    const context = [...new Array<number>(order - 1).fill(bos), ...history].slice(-(order - 1));
    return probability(order === 1 ? [] : context, w);
  };
}

const corpus = [
  [1, 2, 3, 0],
  [1, 2, 3, 0],
  [1, 2, 4, 0],
  [1, 5, 3, 0],
  [2, 3, 2, 3, 2, 3, 0],
  [1, 2, 3, 4, 5, 0],
  [1, 4, 4, 4, 4, 0],
  [2, 5, 0],
];

describe('KneserNey against a direct transcription', () => {
  it.each([1, 2, 3, 4])(
    'order %i: equal probabilities for every token after a range of histories',
    (order) => {
      const fast = KneserNey.train(
        corpus.map((s) => Int32Array.from(s)),
        V,
        { order },
      );
      const reference = referenceModel(corpus, order);
      const histories = [[], [1], [2], [1, 2], [2, 3], [1, 2, 3], [4, 4, 4], [5, 5], [3, 2, 3], [0, 1, 5]];
      for (const history of histories)
        for (let w = 0; w < V; w++)
          expect(fast.probability(history, w)).toBeCloseTo(reference(history, w), 12);
    },
  );
});
