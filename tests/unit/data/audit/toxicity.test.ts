import { describe, expect, it } from 'vitest';
import { checkToxicity, rowToxicity } from '../../../../src/data/audit/checks/toxicity.ts';
import { prepareCorpus } from '../../../../src/data/audit/corpus.ts';
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
