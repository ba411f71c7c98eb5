import { describe, expect, it } from 'vitest';
import {
  checkNearDuplicates,
  defaultNearDuplicateOptions,
  nearDuplicateClusters,
} from '../../../../src/data/audit/checks/near-duplicates.ts';
import { prepareCorpus } from '../../../../src/data/audit/corpus.ts';
import { loadFixture, toRows } from './fixtures.ts';

const corpus = prepareCorpus(toRows(loadFixture('duplicates')));

describe('near duplicates', () => {
  const clusters = nearDuplicateClusters(corpus);

  it('clusters the one-word English edit and the one-character Chinese edit, and nothing unrelated', () => {
    const near = clusters.filter((c) => !c.exactOnly).map((c) => c.indices);
    expect(near).toContainEqual([12, 13]);
    expect(near).toContainEqual([14, 15]);
    expect(near).toHaveLength(2);
  });

  it('keeps exact groups as exact-only clusters', () => {
    expect(clusters.filter((c) => c.exactOnly).map((c) => c.indices)).toEqual([
      [0, 1, 2],
      [4, 5],
      [9, 10],
    ]);
  });

  it('shows the similarity of each member to the kept row', () => {
    const zh = clusters.find((c) => c.indices[0] === 14);
    expect(zh?.similarities[0]).toBe(1);
    expect(zh?.minSimilarity).toBeGreaterThan(0.8);
    expect(zh?.minSimilarity).toBeLessThan(1);
    const result = checkNearDuplicates(corpus, clusters);
    expect(result.findings).toHaveLength(2);
    for (const f of result.findings) {
      expect(f.extra?.similarity).toBeGreaterThanOrEqual(0.7);
      expect(f.fix).toBe('keep-one-per-cluster');
    }
  });

  it('does not pair texts below the similarity threshold', () => {
    const strict = nearDuplicateClusters(corpus, { ...defaultNearDuplicateOptions, threshold: 0.95 });
    expect(strict.filter((c) => !c.exactOnly)).toHaveLength(0);
  });
});
