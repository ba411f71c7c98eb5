import { describe, expect, it } from 'vitest';
import { KneserNey, modifiedDiscounts } from '../../../src/eval/kneser-ney.ts';
import { UnigramModel } from '../../../src/eval/unigram.ts';

// A toy corpus over a 7-token vocabulary: 0 = end, 1 = tag, 2..6 = words.
const V = 7;
const corpus = [
  [1, 2, 3, 4, 0],
  [1, 2, 3, 5, 0],
  [1, 2, 3, 4, 0],
  [1, 6, 3, 4, 0],
  [1, 2, 5, 0],
  [1, 4, 4, 4, 2, 3, 0],
].map((s) => Int32Array.from(s));

function sumOverVocab(model: KneserNey, history: number[]): number {
  let sum = 0;
  for (let w = 0; w < V; w++) sum += model.probability(history, w);
  return sum;
}

describe('KneserNey', () => {
  it.each([1, 2, 3, 5])(
    'order %i: P(· | history) sums to 1 for seen, unseen and empty histories',
    (order) => {
      const model = KneserNey.train(corpus, V, { order });
      for (const history of [[], [1], [1, 2], [1, 2, 3], [2, 3, 4, 4], [6, 6, 6, 6], [5, 0, 1, 6]])
        expect(sumOverVocab(model, history)).toBeCloseTo(1, 12);
    },
  );

  it('gives every token a probability above zero, and a seen continuation more than an unseen one', () => {
    const model = KneserNey.train(corpus, V, { order: 5 });
    for (let w = 0; w < V; w++) expect(model.probability([1, 2, 3], w)).toBeGreaterThan(0);
    expect(model.probability([1, 2, 3], 4)).toBeGreaterThan(model.probability([1, 2, 3], 5));
    expect(model.probability([1, 2, 3], 5)).toBeGreaterThan(model.probability([1, 2, 3], 6));
  });

  it('scores a sequence position by position exactly as probability() does with the same history', () => {
    const model = KneserNey.train(corpus, V, { order: 3 });
    const sequence = [1, 2, 5, 4, 0];
    const logs = model.logProbabilities(sequence, 1);
    expect(logs).toHaveLength(4);
    logs.forEach((logP, i) =>
      expect(logP).toBeCloseTo(
        Math.log(model.probability(sequence.slice(0, i + 1), sequence[i + 1] as number)),
        12,
      ),
    );
  });

  it('uses continuation counts below the top order: a word seen often after one context only ranks low', () => {
    // Token 6 occurs 5 times, always after 5; token 4 occurs 3 times after three different tokens.
    const skewed = [
      [5, 6],
      [5, 6],
      [5, 6],
      [5, 6],
      [5, 6],
      [2, 4],
      [3, 4],
      [1, 4],
    ].map((s) => Int32Array.from(s));
    const model = KneserNey.train(skewed, V, { order: 2 });
    // After an unseen context the bigram backs off to continuation counts: 4 (3 contexts) beats 6 (1).
    expect(model.probability([0], 4)).toBeGreaterThan(model.probability([0], 6));
    expect(model.probability([5], 6)).toBeGreaterThan(0.5);
  });

  it('rejects token ids outside the vocabulary, naming the sequence and position', () => {
    expect(() => KneserNey.train([Int32Array.from([1, 9])], V)).toThrow(/sequence 0, position 1: token 9/);
    const model = KneserNey.train(corpus, V);
    expect(() => model.logProbabilities([1, 7])).toThrow(/position 1: token 7/);
  });

  it('estimates modified discounts from counts of counts, within [0, c]', () => {
    const [d1, d2, d3] = modifiedDiscounts([100, 40, 20, 10]);
    const y = 100 / 180;
    expect(d1).toBeCloseTo(1 - (2 * y * 40) / 100, 12);
    expect(d2).toBeCloseTo(2 - (3 * y * 20) / 40, 12);
    expect(d3).toBeCloseTo(3 - (4 * y * 10) / 20, 12);
    expect(modifiedDiscounts([0, 0, 0, 0])).toEqual([0.5, 1, 1.5]);
  });
});

describe('UnigramModel', () => {
  it('is add-one smoothed over the scored positions and sums to 1', () => {
    const model = UnigramModel.train(corpus, V, 1);
    // Scored tokens (from position 1 on): 25 in all; token 3 appears 5 times, token 1 never.
    expect(model.probability(3)).toBeCloseTo(6 / (25 + V), 12);
    expect(model.probability(1)).toBeCloseTo(1 / (25 + V), 12);
    let sum = 0;
    for (let w = 0; w < V; w++) sum += model.probability(w);
    expect(sum).toBeCloseTo(1, 12);
    expect(Array.from(model.logProbabilities([1, 3, 1], 1))).toEqual([Math.log(6 / 32), Math.log(1 / 32)]);
  });
});
