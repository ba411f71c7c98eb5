import { describe, expect, it } from 'vitest';
import { checkLabelBalance } from '../../../../src/data/audit/checks/label-balance.ts';
import { prepareCorpus } from '../../../../src/data/audit/corpus.ts';
import { toRows } from './fixtures.ts';

describe('label balance', () => {
  const rows = toRows([
    ...Array.from({ length: 6 }, (_, i) => ({ text: `funny ${i}`, label: i % 2 ? 'true' : '1' })),
    { text: 'not funny', label: '0' },
    { text: 'also not funny', label: 'No' },
    { text: 'no label', label: null },
  ]);

  it('normalises binary label spellings, counts classes and suggests class weights', () => {
    const result = checkLabelBalance(prepareCorpus(rows));
    expect(result.stats.imbalanceRatio).toBe(3);
    const finding = result.findings.find((f) => f.fix === 'reweight-classes');
    expect(finding?.severity).toBe('warning');
    expect(finding?.extra?.classes).toEqual(['funny', 'not funny']);
    expect(finding?.extra?.weights).toEqual([0.667, 2]);
  });

  it('lists rows without a label', () => {
    const result = checkLabelBalance(prepareCorpus(rows));
    expect(result.findings.find((f) => f.fix === 'drop-rows')?.rowIds).toEqual([108]);
  });

  it('is skipped when nothing is labelled', () => {
    expect(checkLabelBalance(prepareCorpus(toRows(['a', 'b']))).skipped).toBeDefined();
  });
});
