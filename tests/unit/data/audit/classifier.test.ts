import { describe, expect, it } from 'vitest';
import {
  classify,
  predictProbabilities,
  trainClassifier,
} from '../../../../src/data/audit/classifier/logistic-regression.ts';
import { hashedFeatures } from '../../../../src/data/audit/classifier/features.ts';
import { loadFixture } from './fixtures.ts';

const fixture = loadFixture('label-noise');
const MISLABELLED = [5, 35];

describe('hashed character n-gram features', () => {
  it('gives every row sorted unique feature indices inside the feature space', () => {
    const x = hashedFeatures(['a cat', '猫咪', ''], {
      dimensionBits: 10,
      hanNgrams: [1, 2],
      otherNgrams: [3],
      words: true,
      maxChars: 50,
    });
    expect(x.offsets[3]).toBe(x.indices.length);
    for (let r = 0; r < 3; r++) {
      const row = Array.from(x.indices.subarray(x.offsets[r], x.offsets[r + 1]));
      expect(row).toEqual([...new Set(row)].sort((a, b) => a - b));
      expect(row.every((f) => f >= 0 && f < 1024)).toBe(true);
    }
    expect((x.offsets[2] ?? 0) - (x.offsets[1] ?? 0)).toBeGreaterThan(0);
  });
});

describe('logistic regression on hashed n-grams', () => {
  const clean = fixture.filter((_, i) => !MISLABELLED.includes(i));
  const model = trainClassifier(
    clean.map((r) => r.text),
    clean.map((r) => r.label ?? null),
  );

  it('learns the topics in English and Chinese and generalises to unseen sentences', () => {
    expect(model.classes).toEqual(['cat', 'dog']);
    expect(classify(model, 'The cat is asleep on my bed.').label).toBe('cat');
    expect(classify(model, 'The dog is asleep on my bed.').label).toBe('dog');
    expect(classify(model, '那只猫在睡觉。').label).toBe('cat');
    expect(classify(model, '那只狗在睡觉。').label).toBe('dog');
  });

  it('returns probabilities that sum to one per row', () => {
    const p = predictProbabilities(model, ['cat', 'dog', '猫狗']);
    for (let r = 0; r < 3; r++) expect((p[2 * r] ?? 0) + (p[2 * r + 1] ?? 0)).toBeCloseTo(1, 5);
  });

  it('rejects inputs it cannot train on, saying why', () => {
    expect(() => trainClassifier(['a', 'b'], ['x', 'x'])).toThrow(/at least two classes/);
    expect(() => trainClassifier(['a'], ['x', 'y'])).toThrow(/1 texts but 2 labels/);
  });
});
