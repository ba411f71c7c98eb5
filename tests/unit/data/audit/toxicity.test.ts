import { describe, expect, it } from 'vitest';
import { checkIdentityTerms } from '../../../../src/data/audit/checks/identity-terms.ts';
import { checkToxicity, rowToxicity } from '../../../../src/data/audit/checks/toxicity.ts';
import { prepareCorpus } from '../../../../src/data/audit/corpus.ts';
import { checkSafety } from '../../../../src/data/audit/safety.ts';
import { loadFixture, toRows } from './fixtures.ts';

const fixture = loadFixture('safety');
const corpus = prepareCorpus(toRows(fixture));
const toxicity = rowToxicity(corpus);

describe('toxicity', () => {
  it('finds the expected worst severity in every English and Chinese row', () => {
    expect(toxicity.map((t) => t?.maxSeverity ?? 0)).toEqual(fixture.map((r) => r.severity));
  });

  it('matches obfuscated forms and whole words only', () => {
    expect(toxicity[3]?.labels).toContain('f-word');
    expect(toxicity[11]).toBeNull();
  });

  it('makes one finding per toxic row, with drop-toxic-rows only for strong ones', () => {
    const result = checkToxicity(corpus, toxicity);
    const byRow = new Map(result.findings.map((f) => [f.rowIds[0], f]));
    expect(byRow.get(102)?.severity).toBe('info');
    expect(byRow.get(102)?.fix).toBe('review');
    expect(byRow.get(104)?.severity).toBe('error');
    expect(byRow.get(106)?.fix).toBe('drop-toxic-rows');
    expect(result.stats.offensiveRows).toBe(fixture.filter((r) => Number(r.severity) >= 2).length);
  });

  it('describes slurs by their label, never by spelling them out', () => {
    const result = checkToxicity(corpus, toxicity);
    const slur = result.findings.find((f) => f.rowIds[0] === 108);
    expect(slur?.reason).toContain('对日本人的蔑称');
    expect(slur?.reason).not.toContain('小日本');
  });
});

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

describe('checkSafety', () => {
  it('blocks by strictness: relaxed only slurs, hate and threats; strict every listed word', () => {
    expect(checkSafety('Damn, this coffee is strong.', 'standard').ok).toBe(true);
    expect(checkSafety('Damn, this coffee is strong.', 'strict').ok).toBe(false);
    expect(checkSafety('What the f*ck is wrong with this printer?', 'relaxed').ok).toBe(true);
    expect(checkSafety('What the f*ck is wrong with this printer?', 'standard').ok).toBe(false);
    expect(checkSafety('小日本又来了。', 'relaxed').ok).toBe(false);
    expect(checkSafety('A priest, a rabbi and a minister walk into a bar.', 'strict')).toEqual({
      ok: true,
      reasons: [],
    });
  });

  it('names an insult aimed at an identity group', () => {
    const verdict = checkSafety('东北人都是脑残吗？', 'standard');
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons.some((r) => r.includes('Chinese regions'))).toBe(true);
  });

  it('is not fooled by full-width letters', () => {
    expect(checkSafety('ｓｈｉｔ happens', 'standard').ok).toBe(false);
  });
});
