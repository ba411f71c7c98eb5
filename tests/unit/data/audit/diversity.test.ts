import { describe, expect, it } from 'vitest';
import { checkDiversity } from '../../../../src/data/audit/checks/diversity.ts';
import { rowLanguages } from '../../../../src/data/audit/checks/language.ts';
import { nearDuplicateClusters } from '../../../../src/data/audit/checks/near-duplicates.ts';
import { prepareCorpus } from '../../../../src/data/audit/corpus.ts';
import { toRows } from './fixtures.ts';

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
