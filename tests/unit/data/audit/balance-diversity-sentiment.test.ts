import { describe, expect, it } from 'vitest';
import { checkDiversity } from '../../../../src/data/audit/checks/diversity.ts';
import { checkLabelBalance } from '../../../../src/data/audit/checks/label-balance.ts';
import { rowLanguages } from '../../../../src/data/audit/checks/language.ts';
import { nearDuplicateClusters } from '../../../../src/data/audit/checks/near-duplicates.ts';
import { checkSentiment, rowSentiments } from '../../../../src/data/audit/checks/sentiment.ts';
import { prepareCorpus } from '../../../../src/data/audit/corpus.ts';
import { loadFixture, toRows } from './fixtures.ts';

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

describe('diversity', () => {
  it('computes distinct-1/2 over words for English and characters for Chinese', () => {
    const corpus = prepareCorpus(toRows(['the cat the cat', 'the dog', '猫猫狗', '猫狗']));
    const result = checkDiversity(corpus, rowLanguages(corpus), []);
    const table = result.charts.find((c) => c.id === 'diversity-distinct');
    if (table?.kind !== 'table') throw new Error('expected a table');
    // English: unigrams the,cat,the,cat,the,dog → 3/6; bigrams (the cat, cat the, the cat, the dog) → 3/4.
    expect(table.rows[1]).toEqual(['English', 0.5, 0.75, 3]);
    // Chinese: 猫,猫,狗,猫,狗 → 2/5; bigrams 猫猫, 猫狗, 猫狗 → 2/3.
    expect(table.rows[2]).toEqual(['Chinese', 0.4, 0.667, 2]);
  });

  it('lists the most frequent content words and the share held by the largest duplicate clusters', () => {
    const texts = [
      ...Array.from({ length: 6 }, () => 'Why did the chicken cross the road? The chicken wanted to.'),
      'Cats are liquid.',
      'Chickens are birds.',
    ];
    const corpus = prepareCorpus(toRows(texts));
    const result = checkDiversity(corpus, rowLanguages(corpus), nearDuplicateClusters(corpus));
    const top = result.charts.find((c) => c.id === 'diversity-top-words');
    if (top?.kind !== 'table') throw new Error('expected a table');
    expect(top.rows[0]).toEqual(['chicken', 12]);
    expect(result.stats.largestClustersShare).toBe(0.75);
    expect(result.findings[0]?.severity).toBe('warning');
  });
});

describe('sentiment', () => {
  const fixture = loadFixture('sentiment');
  const corpus = prepareCorpus(toRows(fixture));

  it('gets the sign right in English and Chinese, including negation', () => {
    const scores = Array.from(rowSentiments(corpus));
    expect(scores.map((s) => (s > 0.1 ? 1 : s < -0.1 ? -1 : 0))).toEqual(fixture.map((r) => r.sign));
    expect(scores.every((s) => s >= -1 && s <= 1)).toBe(true);
  });

  it('shows sentiment per label and reports a label that tracks sentiment', () => {
    const labelled = prepareCorpus(
      toRows(fixture.map((r) => ({ text: r.text, label: r.sign === 1 ? 'funny' : 'dull' }))),
    );
    const result = checkSentiment(labelled);
    const byLabel = result.charts.find((c) => c.id === 'sentiment-by-label');
    if (byLabel?.kind !== 'bars') throw new Error('expected bars');
    expect(byLabel.series.map((s) => s.name)).toEqual(['dull', 'funny']);
    expect(byLabel.series[1]?.values).toEqual([0, 0, 100]);
    expect(result.findings[0]?.severity).toBe('warning');
  });
});
