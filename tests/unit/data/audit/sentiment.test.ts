import { describe, expect, it } from 'vitest';
import { checkSentiment, rowSentiments } from '../../../../src/data/audit/checks/sentiment.ts';
import { prepareCorpus } from '../../../../src/data/audit/corpus.ts';
import { loadFixture, toRows } from './fixtures.ts';

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
