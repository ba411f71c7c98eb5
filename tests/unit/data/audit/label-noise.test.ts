import { describe, expect, it } from 'vitest';
import {
  analyseLabelNoise,
  checkLabelNoise,
  defaultLabelNoiseOptions,
} from '../../../../src/data/audit/checks/label-noise.ts';
import { prepareCorpus } from '../../../../src/data/audit/corpus.ts';
import { loadFixture, toRows } from './fixtures.ts';

const fixture = loadFixture('label-noise');
const MISLABELLED = [5, 35];

describe('label noise by confident learning', () => {
  const corpus = prepareCorpus(toRows(fixture));
  const options = { ...defaultLabelNoiseOptions, folds: 4 };

  it('flags exactly the two deliberately mislabelled rows (English and Chinese), ranked by margin, with the right suggested label', () => {
    const analysis = analyseLabelNoise(corpus, options);
    if (typeof analysis === 'string') throw new Error(analysis);
    expect(analysis.issues.map((i) => i.index).sort((a, b) => a - b)).toEqual(MISLABELLED);
    expect(analysis.issues.find((i) => i.index === 5)?.suggested).toBe('cat');
    expect(analysis.issues.find((i) => i.index === 35)?.suggested).toBe('dog');
    expect(analysis.thresholds.every((t) => t > 0.5 && t < 1)).toBe(true);
    const margins = analysis.issues.map((i) => i.margin);
    expect(margins).toEqual([...margins].sort((a, b) => b - a));
  });

  it('turns issues into relabel findings that carry the dataset’s own label spelling', () => {
    const result = checkLabelNoise(corpus, options);
    expect(result.findings[0]?.fix).toBe('relabel-rows');
    expect([105, 135]).toContain(result.findings[0]?.rowIds[0]);
    expect(result.findings[0]?.extra?.suggestedLabel).toMatch(/^(cat|dog)$/);
    expect(Number(result.stats.outOfFoldAccuracy)).toBeGreaterThan(0.7);
  });

  it('is skipped, with a reason, when there are not two classes to compare', () => {
    const result = checkLabelNoise(
      prepareCorpus(toRows(fixture.map((r) => ({ ...r, label: 'cat' })))),
      options,
    );
    expect(result.skipped).toMatch(/two classes/);
    expect(result.findings).toEqual([]);
  });
});
