import { describe, expect, it } from 'vitest';
import { exactDuplicateGroups } from '../../../../src/data/audit/checks/exact-duplicates.ts';
import { checkLabelConflicts } from '../../../../src/data/audit/checks/label-conflicts.ts';
import { nearDuplicateClusters } from '../../../../src/data/audit/checks/near-duplicates.ts';
import { prepareCorpus } from '../../../../src/data/audit/corpus.ts';
import { loadFixture, toRows } from './fixtures.ts';

const corpus = prepareCorpus(toRows(loadFixture('duplicates')));

describe('label conflicts', () => {
  it('flags the same text with two labels as an error and near-same text as a warning', () => {
    const result = checkLabelConflicts(corpus, exactDuplicateGroups(corpus), nearDuplicateClusters(corpus));
    const bySeverity = Object.fromEntries(result.findings.map((f) => [f.severity, f]));
    expect(result.findings).toHaveLength(2);
    expect(bySeverity.error?.rowIds).toEqual([100, 101, 102]);
    expect(bySeverity.error?.extra?.minorityRowIds).toEqual([102]);
    expect(bySeverity.error?.extra?.suggestedLabel).toBe('1');
    expect(bySeverity.warning?.rowIds).toEqual([112, 113]);
  });
});
