import { describe, expect, it } from 'vitest';
import { buildMix, DEFAULT_LIMITS, junkReason, type SourceInput } from '../../../src/data/corpora/mix.ts';
import { joinTaiwanMotivation, mixPolicy } from '../../../src/data/corpora/mix-policy.ts';
import { makeRecord } from '../../../src/data/corpora/record.ts';
import { findSource } from '../../../src/data/corpora/sources.ts';
import type { CorpusRecord, LanguageCode } from '../../../src/data/corpora/types.ts';

function record(
  source: string,
  text: string,
  humor: boolean | null,
  extra: Record<string, string> = {},
  language: LanguageCode = 'en',
): CorpusRecord {
  return makeRecord({ source, file: 'f', language }, 0, 1, text, null, humor, extra);
}

function input(sourceId: string, records: CorpusRecord[]): SourceInput {
  const policy = mixPolicy.find((entry) => entry.source === sourceId);
  if (policy === undefined) throw new Error(`test setup: no policy for ${sourceId}`);
  return { source: findSource(sourceId), policy, records };
}

describe('junkReason', () => {
  it.each([
    ['', 'en', 'empty'],
    ['Too short!', 'en', 'too short'],
    ['See https://example.com for the punchline today', 'en', 'url or mention'],
    ['@someone told me a very long joke yesterday', 'en', 'url or mention'],
    ['This English joke has 中文 inside it somewhere', 'en', 'wrong language or script'],
    ['This is English text in a Chinese source file', 'zh', 'wrong language or script'],
    ['x'.repeat(DEFAULT_LIMITS.maxCharacters.en + 1), 'en', 'too long'],
    ['A joke that smuggles <|endofjoke|> into its text', 'en', 'contains a special token'],
    ['笑'.repeat(DEFAULT_LIMITS.maxCharacters.zh + 1), 'zh', 'too long'],
  ] as const)('%j (%s) → %s', (text, language, reason) => {
    expect(junkReason(text, language, DEFAULT_LIMITS)).toBe(reason);
  });

  it('accepts ordinary jokes in both languages', () => {
    expect(junkReason('Why did the chicken cross the road?', 'en', DEFAULT_LIMITS)).toBeNull();
    expect(junkReason('老师问小明为什么迟到，他说因为下雨。', 'zh', DEFAULT_LIMITS)).toBeNull();
  });
});

describe('buildMix', () => {
  it('keeps the first copy of an exact duplicate, even with different case and punctuation', () => {
    const { rows, stats } = buildMix([
      input('en-cleancomedy', [record('en-cleancomedy', 'Why did the chicken cross the road?', true)]),
      input('en-colbert-humor', [record('en-colbert-humor', 'why did the CHICKEN cross the road!!', true)]),
    ]);
    expect(rows.map((row) => row.source)).toEqual(['en-cleancomedy']);
    expect(stats[1]?.dropped).toEqual({ 'exact duplicate': 1 });
  });

  it('drops rows the source labels offensive and counts why', () => {
    const { rows, stats } = buildMix([
      input('en-hahackathon', [
        record('en-hahackathon', 'A joke most raters found offensive here', true, { offense_rating: '2.4' }),
        record('en-hahackathon', 'A joke hardly anyone found offensive', true, { offense_rating: '0.2' }),
      ]),
      input('en-jokeapi', [
        record('en-jokeapi', 'An explicit joke that is flagged so', true, { explicit: 'true' }),
      ]),
    ]);
    expect(rows.map((row) => row.text)).toEqual(['A joke hardly anyone found offensive']);
    expect(stats.map((entry) => entry.dropped)).toEqual([
      { 'offensive by source label': 1 },
      { 'offensive by source label': 1 },
    ]);
  });

  it('marks humour labels as control codes and samples not-funny rows the same way every run', () => {
    const plain = Array.from({ length: 400 }, (_, index) =>
      record('en-colbert-humor', `Ordinary news headline number ${index}`, false),
    );
    const funny = record('en-colbert-humor', 'A funny line about a cat and a hat', true);
    const first = buildMix([input('en-colbert-humor', [funny, ...plain])]);
    const second = buildMix([input('en-colbert-humor', [funny, ...plain])]);
    expect(first.rows).toEqual(second.rows);
    expect(first.rows[0]?.control).toBe('<|funny|>');
    const notFunny = first.rows.filter((row) => row.control === '<|not_funny|>').length;
    expect(notFunny).toBeGreaterThan(60);
    expect(notFunny).toBeLessThan(140);
  });

  it('reads but does not use sources the policy leaves out, and every read row is kept or dropped', () => {
    const { rows, stats } = buildMix([
      input('en-short-jokes', [record('en-short-jokes', 'A GPL joke that stays out of the mix', true)]),
      input('zh-ruozhiba', [
        record('zh-ruozhiba', '狐假虎威就是爽，我出门大家都吓跑了。', true, {}, 'zh'),
        record('zh-ruozhiba', '短', true, {}, 'zh'),
      ]),
    ]);
    expect(rows.map((row) => [row.source, row.language])).toEqual([['zh-ruozhiba', 'zh']]);
    expect(stats[0]).toMatchObject({ used: false, rowsRead: 1, rowsKept: 0, licenceClass: 'copyleft' });
    for (const entry of stats.filter((candidate) => candidate.used)) {
      const dropped = Object.values(entry.dropped).reduce((sum, count) => sum + count, 0);
      expect(entry.rowsKept + dropped).toBe(entry.rowsRead);
    }
  });
});

describe('joinTaiwanMotivation', () => {
  it('copies Attack and Taboo flags by row and refuses files that are not row-aligned', () => {
    const texts = [record('zh-tw-humor-multilabeled', '笑話', true, {}, 'zh')];
    const flags = [record('zh-tw-humor-multilabeled', '笑話', true, { Attack: '1', Taboo: '0' }, 'zh')];
    expect(joinTaiwanMotivation(texts, flags)[0]?.extra).toEqual({
      'motivation.Attack': '1',
      'motivation.Taboo': '0',
    });
    expect(() => joinTaiwanMotivation(texts, [])).toThrow(
      /JokeHumorLevel\.txt has 1 rows but JokeMotivation\.txt has 0/,
    );
  });
});
