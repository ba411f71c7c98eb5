import { describe, expect, it } from 'vitest';
import { checkJunk } from '../../../../src/data/audit/checks/junk.ts';
import { prepareCorpus } from '../../../../src/data/audit/corpus.ts';
import { loadFixture, toRows } from './fixtures.ts';

const fixture = loadFixture('junk');

describe('junk and outliers', () => {
  const result = checkJunk(prepareCorpus(toRows(fixture)));
  const problemsOf = new Map(result.findings.map((f) => [f.rowIds[0], f.extra?.problems]));

  it('finds exactly the known problems in each row and nothing in normal jokes', () => {
    fixture.forEach((row, i) => {
      expect(problemsOf.get(100 + i) ?? [], `row ${i}: ${row.text}`).toEqual(row.problems);
    });
  });

  it('gives empty and link-only rows the error severity and a drop fix', () => {
    const empty = result.findings.find((f) => f.rowIds[0] === 100);
    expect(empty?.severity).toBe('error');
    expect(empty?.fix).toBe('drop-rows');
    expect(empty?.reason).toMatch(/Line 2 is empty/);
  });

  it('flags a very long row as an outlier by robust z-score', () => {
    const normal = fixture.filter((r) => (r.problems as string[]).length === 0);
    const long = { text: 'word '.repeat(800) + 'end', problems: ['too-long'] };
    const r = checkJunk(prepareCorpus(toRows([...normal, long])));
    expect(r.findings.map((f) => f.extra?.problems)).toEqual([['too-long']]);
  });

  it('builds a length histogram over all rows', () => {
    const histogram = result.charts.find((c) => c.id === 'length-histogram');
    if (histogram?.kind !== 'bars') throw new Error('expected a bar chart');
    expect(histogram.series[0]?.values.reduce((a, b) => a + b, 0)).toBe(fixture.length);
  });
});
