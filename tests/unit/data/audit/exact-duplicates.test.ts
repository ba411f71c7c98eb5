import { describe, expect, it } from 'vitest';
import {
  checkExactDuplicates,
  exactDuplicateGroups,
} from '../../../../src/data/audit/checks/exact-duplicates.ts';
import { prepareCorpus } from '../../../../src/data/audit/corpus.ts';
import { loadFixture, toRows } from './fixtures.ts';

const corpus = prepareCorpus(toRows(loadFixture('duplicates')));

describe('exact duplicates', () => {
  it('groups English and Chinese rows that differ only in case, width, spacing and punctuation', () => {
    expect(exactDuplicateGroups(corpus).map((g) => g.indices)).toEqual([
      [0, 1, 2],
      [4, 5],
      [9, 10],
    ]);
  });

  it('reports one finding per group with row ids, and counts the redundant copies', () => {
    const result = checkExactDuplicates(corpus);
    expect(result.findings.map((f) => f.rowIds)).toEqual([
      [100, 101, 102],
      [104, 105],
      [109, 110],
    ]);
    expect(result.findings.every((f) => f.fix === 'drop-exact-duplicates')).toBe(true);
    expect(result.stats.redundantRows).toBe(4);
    expect(result.score).toBeLessThan(100);
  });
});
