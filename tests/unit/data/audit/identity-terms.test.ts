import { describe, expect, it } from 'vitest';
import { checkIdentityTerms } from '../../../../src/data/audit/checks/identity-terms.ts';
import { rowToxicity } from '../../../../src/data/audit/checks/toxicity.ts';
import { prepareCorpus } from '../../../../src/data/audit/corpus.ts';
import { loadFixture, toRows } from './fixtures.ts';

const corpus = prepareCorpus(toRows(loadFixture('safety')));
const toxicity = rowToxicity(corpus);

describe('identity terms', () => {
  it('flags rows that pair an identity group with insults or slurs', () => {
    const result = checkIdentityTerms(corpus, toxicity, {
      minRows: 1,
      funnyRateGap: 0.15,
      offensiveShare: 0.1,
    });
    const targeted = result.findings.filter((f) => f.extra?.subgroup === undefined).map((f) => f.rowIds[0]);
    expect(targeted).toEqual([101, 107]);
  });

  it('tabulates rows, funny rate and offensive share per subgroup', () => {
    const result = checkIdentityTerms(corpus, toxicity, {
      minRows: 1,
      funnyRateGap: 0.15,
      offensiveShare: 0.1,
    });
    const table = result.charts[0];
    if (table?.kind !== 'table') throw new Error('expected the identity table');
    const women = table.rows.find((r) => r[1] === 'women');
    const regions = table.rows.find((r) => r[1] === 'Chinese regions');
    const jewish = table.rows.find((r) => r[1] === 'Jewish people');
    expect(women?.[2]).toBe(1);
    expect(women?.[6]).toBe(100);
    expect(regions?.[2]).toBe(1);
    expect(jewish?.[2]).toBe(1);
    expect(jewish?.[6]).toBe(0);
    // 9 of 12 rows are labelled funny; the one row mentioning women is funny: +25 points.
    expect(women?.[4]).toBe(100);
    expect(women?.[5]).toBe(25);
  });

  it('reports a group whose rows are far more often offensive than the data as a whole', () => {
    const rows = toRows([
      ...Array.from({ length: 4 }, () => ({ text: 'Those lawyers are stupid bitches.', label: '1' })),
      ...Array.from({ length: 4 }, (_, i) => ({ text: `The old lady ${i} is a stupid bitch.`, label: '1' })),
      ...Array.from({ length: 12 }, (_, i) => ({ text: `Puns about bread number ${i}.`, label: '0' })),
      ...Array.from({ length: 4 }, (_, i) => ({ text: `A priest tells joke number ${i}.`, label: '1' })),
    ]);
    const c = prepareCorpus(rows);
    const result = checkIdentityTerms(c, rowToxicity(c), {
      minRows: 4,
      funnyRateGap: 0.15,
      offensiveShare: 0.1,
    });
    const groupFindings = result.findings.filter((f) => f.extra?.subgroup !== undefined);
    expect(
      groupFindings.find((f) => f.extra?.subgroup === 'older people' && f.severity === 'warning')?.rowIds,
    ).toHaveLength(4);
    expect(groupFindings.some((f) => f.extra?.subgroup === 'Christians' && f.severity === 'warning')).toBe(
      false,
    );
    // Christians: 4 of 4 funny against 12 of 24 overall.
    expect(groupFindings.some((f) => f.extra?.subgroup === 'Christians' && f.severity === 'info')).toBe(true);
  });
});
