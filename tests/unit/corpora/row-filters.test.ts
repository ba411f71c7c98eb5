import { describe, expect, it } from 'vitest';
import { buildMix, type SourceInput } from '../../../src/data/corpora/mix.ts';
import { mixPolicy } from '../../../src/data/corpora/mix-policy.ts';
import { makeRecord } from '../../../src/data/corpora/record.ts';
import { applyRowFilters } from '../../../src/data/corpora/row-filters.ts';
import { findSource } from '../../../src/data/corpora/sources.ts';

function input(sourceId: string, texts: string[]): SourceInput {
  const policy = mixPolicy.find((entry) => entry.source === sourceId)!;
  const records = texts.map((text, index) =>
    makeRecord({ source: sourceId, file: 'f', language: 'en' }, index, index + 1, text, null, true),
  );
  return { source: findSource(sourceId), policy, records };
}

describe('applyRowFilters', () => {
  const mix = () =>
    buildMix([
      input('en-cleancomedy', [
        'The first version of a joke about a cat',
        'A perfectly clean joke about a dog',
      ]),
      input('en-colbert-humor', [
        'The first version of a joke about a cat!!! lol',
        'A joke with a badword in it today',
      ]),
    ]);

  it('keeps the first row of a near-duplicate group, drops toxic rows, and moves the counts', () => {
    const { rows, stats } = mix();
    const kept = applyRowFilters(rows, stats, {
      nearDuplicateGroups: (texts) => [texts.flatMap((text, index) => (text.includes('cat') ? [index] : []))],
      toxicity: (texts) => texts.map((text) => (text.includes('badword') ? 'lexicon hit' : null)),
    });
    expect(kept.map((row) => row.text)).toEqual([
      'The first version of a joke about a cat',
      'A perfectly clean joke about a dog',
    ]);
    expect(stats[0]).toMatchObject({ rowsKept: 2, dropped: {} });
    expect(stats[1]).toMatchObject({ rowsKept: 0, dropped: { 'near duplicate': 1, 'toxic (lexicon)': 1 } });
    expect(stats[1]?.kept).toEqual({ funny: 0, notFunny: 0, train: 0, validation: 0, characters: 0 });
  });

  it('does not let a toxic row stand as the representative of its group', () => {
    const { rows, stats } = mix();
    const kept = applyRowFilters(rows, stats, {
      nearDuplicateGroups: () => [[0, 2]],
      toxicity: (texts) => texts.map((_text, index) => (index === 0 ? 'lexicon hit' : null)),
    });
    expect(kept.map((row) => row.text)).toContain('The first version of a joke about a cat!!! lol');
  });
});
