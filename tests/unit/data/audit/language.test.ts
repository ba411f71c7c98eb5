import { describe, expect, it } from 'vitest';
import { checkLanguage, countScripts, rowLanguages } from '../../../../src/data/audit/checks/language.ts';
import { prepareCorpus } from '../../../../src/data/audit/corpus.ts';
import { loadFixture, toRows } from './fixtures.ts';

const fixture = loadFixture('language');
const corpus = prepareCorpus(toRows(fixture));

describe('language per row', () => {
  it('tells English, Chinese (simplified and traditional), mixed and other languages apart', () => {
    expect(rowLanguages(corpus)).toEqual(fixture.map((r) => r.language));
  });

  it('counts scripts by code point', () => {
    expect(countScripts('Ab猫ñ𠀀か한')).toEqual({
      han: 2,
      latin: 3,
      accented: 1,
      kana: 1,
      hangul: 1,
      otherLetters: 0,
    });
  });
});

describe('language check', () => {
  it('reports the split and lists rows in other languages, except rows with no text to judge', () => {
    const result = checkLanguage(corpus);
    expect(result.stats).toMatchObject({ en: 2, zh: 3, mixed: 1, other: 6 });
    const otherRows = result.findings.filter((f) => f.rowIds.length === 1).map((f) => f.rowIds[0]);
    expect(otherRows).toEqual([106, 107, 108, 109, 110, 111]);
  });

  it('warns when one of English and Chinese is almost missing', () => {
    const english = prepareCorpus(
      toRows(Array.from({ length: 20 }, (_, i) => `This is English sentence number ${i}.`)),
    );
    const result = checkLanguage(english);
    expect(result.findings.some((f) => f.rowIds.length === 0 && f.reason.includes('little Chinese'))).toBe(
      true,
    );
  });
});
